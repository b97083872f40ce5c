package org.bcflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.bcflow.core.Architecture;
import org.bcflow.core.ConvLayer;
import org.bcflow.core.MaxPoolLayer;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.Reference;
import org.bcflow.core.data.Dataset;
import org.bcflow.core.data.LabeledImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training, resuming and exporting a net with convolutions through {@link Trainer}. */
class ConvTrainerTest {
    private static final Dataset BANDS = TestData.bandsDataset(2000, 500);
    private static final TrainConfig CFG = TrainConfig.defaults().withArch(Architecture.parse("6C3-MP2-12FC-4"))
            .withEpochs(3).withBatchSize(20).withLearningRates(0.03, 0.003)
            .withMethod(TrainConfig.Method.defaults().withActivationBits(4));

    /** It learns, and its 4-bit integer network classifies as the float model does (the export is exact up to rounding). */
    @Test
    void learnsAndExportsToAnIntegerNetworkThatAgrees(@TempDir Path dir) {
        Trainer trainer = Trainer.quiet();
        FloatModel model = trainer.train(BANDS, CFG, null, false);
        assertEquals("1x8x8-6C3-MP2-12FC-4", model.describe());
        assertTrue(trainer.history().get(2).loss() < trainer.history().get(0).loss(), "loss decreases");
        LabeledImages test = BANDS.test();
        double floatAccuracy = model.accuracy(test);
        assertTrue(floatAccuracy > 0.75, "float accuracy " + floatAccuracy + " (chance: 0.25)");

        Network net = Exporter.toNetwork(model, 4, Map.of("origin", "test"));
        assertTrue(net.stack().get(0) instanceof ConvLayer);
        assertTrue(net.stack().get(1) instanceof MaxPoolLayer);
        assertEquals("conv0", net.stack().get(0).name());
        NetworkFile.write(net, dir.resolve("net.bcnet"));
        Network back = NetworkFile.read(dir.resolve("net.bcnet"));
        assertEquals(net.hash(), back.hash());
        Reference ref = new Reference(back);
        int disagree = 0;
        int correct = 0;
        for (int i = 0; i < test.count(); i++) {
            int c = ref.classify(test.image(i));
            disagree += c != model.predict(test.image(i)) ? 1 : 0;
            correct += c == test.label(i) ? 1 : 0;
        }
        assertTrue(disagree <= 2, disagree + " of " + test.count() + " images classified differently by the integer network");
        assertEquals(floatAccuracy, (double) correct / test.count(), 0.005);
    }

    /** The .npy files of a conv net: kernels as [out, in, k, k] (PyTorch's order), dense layers as [outputs, inputs]. */
    @Test
    void npyFilesOfConvLayersArePyTorchOrdered(@TempDir Path dir) throws java.io.IOException {
        FloatModel model = Trainer.quiet().reportTo(dir).train(BANDS, CFG.withEpochs(1), null, false);
        Path npy = dir.resolve(TrainArtifacts.NPY_FOLDER);
        Npy.Array w = Npy.read(npy.resolve("conv0_W.npy"));
        Npy.Array wb = Npy.read(npy.resolve("conv0_Wb.npy"));
        assertEquals(java.util.List.of(6, 1, 3, 3), java.util.Arrays.stream(w.shape()).boxed().toList());
        assertEquals("|i1", wb.descr());
        float[] matrix = model.layers().get(0).weights();   // row o, column (ky * 3 + kx) * 1 + c
        for (int o = 0; o < 6; o++) {
            for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                    float m = matrix[o * 9 + ky * 3 + kx];
                    assertEquals(m, w.values()[(o * 3 + ky) * 3 + kx]);
                    assertEquals(m >= 0 ? 1f : -1f, wb.values()[(o * 3 + ky) * 3 + kx]);
                }
            }
        }
        assertEquals(java.util.List.of(12, 6 * 4 * 4), java.util.Arrays.stream(Npy.read(npy.resolve("dense0_W.npy")).shape())
                .boxed().toList());
        assertTrue(java.nio.file.Files.exists(npy.resolve("dense1_gamma.npy")));
        assertTrue(java.nio.file.Files.exists(dir.resolve(TrainArtifacts.WEIGHTS_PLOT)));
    }

    /** Kernel permutation to [out, in, k, k] on a 2-channel kernel: value (o, c, ky, kx) from column (ky*k+kx)*C+c. */
    @Test
    void kernelPermutationToOutInKK() {
        int out = 2, in = 2, k = 2;
        float[] matrix = new float[out * k * k * in];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = i;
        }
        float[] t = TrainArtifacts.kernelsOutInKK(matrix, out, in, k);
        // o = 1, c = 1, ky = 0, kx = 1: column (0 * 2 + 1) * 2 + 1 = 3 of row 1, index 8 + 3
        assertEquals(11f, t[((1 * in + 1) * k + 0) * k + 1]);
        // o = 0, c = 0, ky = 1, kx = 0: column (1 * 2 + 0) * 2 + 0 = 4
        assertEquals(4f, t[((0 * in + 0) * k + 1) * k + 0]);
    }

    /** A run killed after epoch 1 and resumed ends with the model of an uninterrupted run, bit for bit. */
    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) {
        FloatModel whole = Trainer.quiet().train(BANDS, CFG, dir.resolve("a.ckpt"), false);
        Path ckpt = dir.resolve("b.ckpt");
        Trainer.quiet().stopAfter(1).train(BANDS, CFG, ckpt, false);
        FloatModel resumed = Trainer.quiet().train(BANDS, CFG, ckpt, true);
        assertEquals(whole, resumed);
        assertEquals(whole, Checkpoint.readModel(ckpt));
    }

    /** A checkpoint of another architecture is refused in one line. */
    @Test
    void checkpointOfAnotherArchitectureIsRefused(@TempDir Path dir) {
        Path ckpt = dir.resolve("c.ckpt");
        Trainer.quiet().stopAfter(1).train(BANDS, CFG, ckpt, false);
        TrainConfig other = CFG.withArch(Architecture.parse("6C3-MP2-10FC-4"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.bcflow.core.BcflowException.class,
                () -> Trainer.quiet().train(BANDS, other, ckpt, true));
        assertTrue(e.getMessage().contains("architecture 1x8x8 6C3-MP2-12FC-4 there, 1x8x8 6C3-MP2-10FC-4 here"), e.getMessage());
    }

    /** An architecture that does not fit the images, or ends in another class count, is one line naming the token. */
    @Test
    void architectureThatDoesNotFitTheDataIsRefused() {
        var tooBig = org.junit.jupiter.api.Assertions.assertThrows(org.bcflow.core.BcflowException.class,
                () -> Trainer.quiet().train(BANDS, CFG.withArch(Architecture.parse("4C9v-4")), null, false));
        assertTrue(tooBig.getMessage().contains("token '4C9v': a 9x9 kernel is larger than its 8x8 input"), tooBig.getMessage());
        var pool = org.junit.jupiter.api.Assertions.assertThrows(org.bcflow.core.BcflowException.class,
                () -> Trainer.quiet().train(BANDS, CFG.withArch(Architecture.parse("4C3-MP3-4")), null, false));
        assertTrue(pool.getMessage().contains("token 'MP3': a 3x3 pool does not divide its 8x8 input"), pool.getMessage());
        var classes = org.junit.jupiter.api.Assertions.assertThrows(org.bcflow.core.BcflowException.class,
                () -> Trainer.quiet().train(BANDS, CFG.withArch(Architecture.parse("4C3-10")), null, false));
        assertTrue(classes.getMessage().contains("ends in 10 classes but the data has 4"), classes.getMessage());
    }
}
