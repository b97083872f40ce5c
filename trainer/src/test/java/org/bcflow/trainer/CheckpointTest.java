package org.bcflow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bcflow.core.BcflowException;
import org.bcflow.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    /** 11,000 training and 10,000 validation images: validation and best-model tracking are on. */
    private static final Dataset DATA = TestData.bandsDataset(21_000, 10);
    private static final TrainConfig CFG = TrainConfig.defaults().withHidden(16, 8).withEpochs(3).withBatchSize(50);

    @TempDir
    Path dir;

    @Test
    void killedAndResumedRunEndsLikeAnUninterruptedOne() throws IOException {
        Path straight = dir.resolve("straight.ckpt");
        FloatModel expected = Trainer.quiet().train(DATA, CFG, straight, false);

        Path resumed = dir.resolve("resumed.ckpt");
        Trainer.quiet().stopAfter(1).train(DATA, CFG, resumed, false);
        Trainer.quiet().stopAfter(2).train(DATA, CFG, resumed, true);
        Trainer last = Trainer.quiet();
        FloatModel actual = last.train(DATA, CFG, resumed, true);

        assertEquals(expected, actual);
        assertEquals(1, last.history().size(), "the last resume ran epoch 3 only");
        assertSameProgress(straight, resumed);
        assertEquals(expected, Trainer.quiet().train(DATA, CFG, resumed, true), "resuming a finished run returns its model");
        assertEquals(expected, Checkpoint.readModel(resumed), "the model for export");
    }

    @Test
    void resumeWithoutCheckpointStartsAfresh() {
        TrainConfig cfg = CFG.withEpochs(1);
        FloatModel fresh = Trainer.quiet().train(DATA, cfg, null, false);
        assertEquals(fresh, Trainer.quiet().train(DATA, cfg, dir.resolve("none.ckpt"), true));
        assertTrue(Files.exists(dir.resolve("none.ckpt")));
    }

    @Test
    void refusesDamagedCheckpoints() throws IOException {
        TrainConfig cfg = CFG.withEpochs(1);
        Path good = dir.resolve("good.ckpt");
        Trainer.quiet().train(DATA, cfg, good, false);
        byte[] bytes = Files.readAllBytes(good);

        assertRefused(cfg, bytes, b -> flip(b, b.length / 2), "corrupt (checksum mismatch");
        assertRefused(cfg, bytes, b -> flip(b, b.length - 1), "corrupt (checksum mismatch");
        assertRefused(cfg, bytes, b -> Arrays.copyOf(b, b.length - 100), "corrupt (checksum mismatch");
        assertRefused(cfg, bytes, b -> Arrays.copyOf(b, 10), "corrupt (truncated");
        assertRefused(cfg, bytes, b -> new byte[0], "not a bcflow checkpoint (bad magic)");
        assertRefused(cfg, bytes, b -> flip(b, 3), "not a bcflow checkpoint (bad magic)");
        Path bad = dir.resolve("bad.ckpt");
        assertOneLineNaming(assertThrows(BcflowException.class, () -> Checkpoint.readModel(bad)), bad, "bad magic");
        Path missing = dir.resolve("missing.ckpt");
        assertOneLineNaming(assertThrows(BcflowException.class, () -> Checkpoint.readModel(missing)), missing, "not found");
    }

    @Test
    void refusesTheCheckpointOfAnotherRun() {
        TrainConfig cfg = CFG.withEpochs(1);
        Path file = dir.resolve("run.ckpt");
        Trainer.quiet().train(DATA, cfg, file, false);
        assertOtherRun(DATA, cfg.withSeed(2), file, "seed 1 there, 2 here");
        assertOtherRun(DATA, cfg.withHidden(16, 9), file, "layer sizes 64-16-8-4 there, 64-16-9-4 here");
        assertOtherRun(DATA, cfg.withBatchSize(40), file, "batch size 50 there, 40 here");
        assertOtherRun(DATA, cfg.withTrainLimit(20_000), file, "train limit");
        Dataset other = new Dataset("other", TestData.bands(21_000, 99), DATA.test());
        assertOtherRun(other, cfg, file, "training data checksum");
    }

    @Test
    void stochasticDropoutRunResumesExactly() {
        TrainConfig cfg = CFG.withMethod(TrainConfig.Method.defaults()
                .withBinarization(TrainConfig.Binarization.STOCHASTIC).withDropout(0.2, 0.3).withActivationBits(2)
                .withOptimizer(TrainConfig.Optimizer.NESTEROV).withTestMode(TrainConfig.TestMode.ENSEMBLE, 2))
                .withLearningRates(0.05, 0.01);
        Path straight = dir.resolve("s.ckpt");
        FloatModel expected = Trainer.quiet().train(DATA, cfg, straight, false);
        Path resumed = dir.resolve("r.ckpt");
        Trainer.quiet().stopAfter(2).train(DATA, cfg, resumed, false);
        FloatModel actual = Trainer.quiet().train(DATA, cfg, resumed, true);
        assertEquals(expected, actual);
        assertSameProgress(straight, resumed);
        assertOtherRun(DATA, cfg.withMethod(TrainConfig.Method.defaults().withDropout(0.2, 0.3)), resumed, "method");
    }

    /** Everything but the timings is the same. */
    private static void assertSameProgress(Path a, Path b) {
        Checkpoint.Progress p = Checkpoint.readProgress(a);
        Checkpoint.Progress q = Checkpoint.readProgress(b);
        assertTrue(Arrays.deepEquals(p.state(), q.state()), "training state");
        assertEquals(p.adamSteps(), q.adamSteps());
        assertEquals(p.best(), q.best());
        assertEquals(p.bestEpoch(), q.bestEpoch());
        assertEquals(p.history().size(), q.history().size());
        for (int i = 0; i < p.history().size(); i++) {
            Trainer.EpochStats x = p.history().get(i);
            Trainer.EpochStats y = q.history().get(i);
            assertEquals(List.of(x.epoch(), x.loss(), x.trainError(), x.validationError(), x.testError(), x.learningRate()),
                    List.of(y.epoch(), y.loss(), y.trainError(), y.validationError(), y.testError(), y.learningRate()));
        }
    }

    private void assertRefused(TrainConfig cfg, byte[] good, UnaryOperator<byte[]> damage, String expected) throws IOException {
        Path bad = dir.resolve("bad.ckpt");
        Files.write(bad, damage.apply(good.clone()));
        BcflowException e = assertThrows(BcflowException.class, () -> Trainer.quiet().train(DATA, cfg, bad, true));
        assertOneLineNaming(e, bad, expected);
    }

    private static void assertOtherRun(Dataset data, TrainConfig cfg, Path file, String expected) {
        BcflowException e = assertThrows(BcflowException.class, () -> Trainer.quiet().train(data, cfg, file, true));
        assertOneLineNaming(e, file, "belongs to another run");
        assertOneLineNaming(e, file, expected);
    }

    private static void assertOneLineNaming(BcflowException e, Path file, String expected) {
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), m);
        assertTrue(m.contains(expected), m);
        assertFalse(m.contains("\n"), m);
    }

    private static byte[] flip(byte[] b, int i) {
        b[i] ^= 0x5a;
        return b;
    }
}
