package org.bcflow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.bcflow.core.Reference;
import org.bcflow.core.data.Dataset;
import org.bcflow.core.data.LabeledImages;
import org.junit.jupiter.api.Test;

class TrainerTest {

    @Test
    void shortMnistRunLearns() {
        Dataset mnist = TestData.mnistOrSkip();
        TrainConfig cfg = TrainConfig.defaults().withTrainLimit(2000).withEpochs(2);
        Trainer trainer = Trainer.quiet();
        FloatModel model = trainer.train(mnist, cfg, null, false);
        LabeledImages test = mnist.test().first(1000);
        double accuracy = model.accuracy(test);
        assertTrue(accuracy > 0.80, "test accuracy " + accuracy);
        assertEquals("784-256-256-10", model.describe());
        assertEquals(2, trainer.history().size());
        assertTrue(trainer.lastImagesPerSecond() > 0);
        assertTrue(Double.isNaN(trainer.bestValidationError()), "no validation below 20,000 images");
        assertEquals(2, trainer.bestEpoch(), "without validation the last epoch's model is returned");
        Reference ref = new Reference(Exporter.toNetwork(model, 8, Map.of()));
        int correct = 0;
        for (int i = 0; i < test.count(); i++) {
            correct += ref.classify(test.image(i)) == test.label(i) ? 1 : 0;
        }
        assertEquals(accuracy, correct / 1000.0, 0.01, "8-bit integer network accuracy");
    }

    @Test
    void keepsTheBestValidationEpoch() {
        Dataset data = TestData.bandsDataset(21_000, 100);
        TrainConfig cfg = TrainConfig.defaults().withHidden(16).withEpochs(4).withBatchSize(50)
                .withLearningRates(0.05, 0.05); // a rate this high makes the validation error jump about
        Trainer trainer = Trainer.quiet();
        FloatModel model = trainer.train(data, cfg, null, false);
        double best = trainer.history().stream().mapToDouble(Trainer.EpochStats::validationError).min().orElseThrow();
        assertEquals(best, trainer.bestValidationError());
        assertEquals(best, trainer.history().get(trainer.bestEpoch() - 1).validationError());
        LabeledImages validation = data.train().slice(11_000, 21_000);
        assertEquals(1 - best, model.accuracy(validation), 0.002, "the returned model is the best epoch's");
    }

    @Test
    void sameSeedSameModelOtherSeedOtherModel() {
        Dataset data = TestData.bandsDataset(1000, 10);
        TrainConfig cfg = TrainConfig.defaults().withHidden(8).withEpochs(2).withBatchSize(32);
        FloatModel a = Trainer.quiet().train(data, cfg, null, false);
        FloatModel b = Trainer.quiet().train(data, cfg, null, false);
        FloatModel c = Trainer.quiet().train(data, cfg.withSeed(2), null, false);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void learningRateDecaysExponentiallyToLrEnd() {
        TrainConfig cfg = TrainConfig.defaults().withEpochs(5).withLearningRates(1e-2, 1e-4);
        assertEquals(1e-2, cfg.learningRate(0), 1e-15);
        assertEquals(1e-3, cfg.learningRate(2), 1e-12);
        assertEquals(1e-4, cfg.learningRate(4), 1e-15);
        assertEquals(1e-2, cfg.withEpochs(1).learningRate(0));
    }

    @Test
    void shuffleDependsOnSeedAndEpochOnly() {
        int[] a = Trainer.shuffled(100, new Random(5));
        assertArrayEquals(a, Trainer.shuffled(100, new Random(5)));
        assertFalse(java.util.Arrays.equals(a, Trainer.shuffled(100, new Random(6))));
        assertArrayEquals(java.util.stream.IntStream.range(0, 100).toArray(), java.util.Arrays.stream(a).sorted().toArray());
    }

    @Test
    void configValidatesAndCopies() {
        TrainConfig d = TrainConfig.defaults();
        assertArrayEquals(new int[] {256, 256}, d.hidden());
        assertEquals(6, d.epochs());
        assertEquals(100, d.batchSize());
        assertEquals(d, TrainConfig.defaults());
        int[] h = {4};
        TrainConfig c = d.withHidden(h);
        h[0] = 5;
        assertArrayEquals(new int[] {4}, c.hidden(), "the config keeps its own copy");
        assertThrows(IllegalArgumentException.class, () -> d.withEpochs(0));
        assertThrows(IllegalArgumentException.class, () -> d.withBatchSize(1));
        assertThrows(IllegalArgumentException.class, () -> d.withHidden(0));
        assertThrows(IllegalArgumentException.class, () -> d.withLearningRates(-1, 1e-3));
    }
}
