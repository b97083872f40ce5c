package org.bcflow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Reference;
import org.bcflow.core.data.Dataset;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.trainer.TrainConfig.Binarization;
import org.bcflow.trainer.TrainConfig.Method;
import org.bcflow.trainer.TrainConfig.TestMode;
import org.junit.jupiter.api.Test;

/** The options of the BinaryConnect method beyond the deterministic default. */
class MethodTest {
    private static final Method DEFAULT = Method.defaults();
    private static final int[] TINY = {6, 5, 3};

    @Test
    void stochasticBinarizationFrequenciesMatchHardSigmoid() {
        float[] values = {-1.5f, -1f, -0.6f, -0.2f, 0f, 0.1f, 0.5f, 0.9f, 1f, 2f};
        int reps = 20_000;
        float[] w = new float[values.length * reps];
        for (int i = 0; i < w.length; i++) {
            w[i] = values[i % values.length];
        }
        float[] wb = new float[w.length];
        RandomStreams.sampleSigns(w, wb, 12345);
        for (int v = 0; v < values.length; v++) {
            int plus = 0;
            for (int r = 0; r < reps; r++) {
                float s = wb[r * values.length + v];
                assertTrue(s == 1f || s == -1f);
                plus += s == 1f ? 1 : 0;
            }
            double p = Math.min(1, Math.max(0, (values[v] + 1) / 2));
            double sigma = Math.sqrt(p * (1 - p) / reps);
            double freq = (double) plus / reps;
            assertEquals(p, freq, 4 * sigma + 1e-12, "P(+1) for W = " + values[v]);
        }
        float[] again = new float[w.length];
        RandomStreams.sampleSigns(w, again, 12345);
        assertArrayEquals(wb, again, "same seed, same sample");
        RandomStreams.sampleSigns(w, again, 12346);
        assertFalse(java.util.Arrays.equals(wb, again), "another seed, another sample");
    }

    @Test
    void stochasticTrainingResamplesEveryStepAndTestsWithSigns() {
        BinaryMlp net = new BinaryMlp(TINY, 4, DEFAULT.withBinarization(Binarization.STOCHASTIC), 9);
        net.setModel(TestData.randomModel(2, TINY));
        LabeledImages images = TestData.noise(4, 1, 6, 3, 1);
        net.load(images, new int[] {0, 1, 2, 3}, 4);
        int[] labels = {0, 1, 2, 0};
        net.trainStep(labels, 1e-9, new int[1]);
        float[] first = net.binaryWeights(0);
        net.trainStep(labels, 1e-9, new int[1]);
        float[] second = net.binaryWeights(0);
        assertFalse(java.util.Arrays.equals(first, second), "a new sample per mini-batch");
        net.useTestWeights(TestMode.BINARY, 0);
        float[] w = net.toFloatModel().layers().get(0).weights();
        float[] signs = net.binaryWeights(0);
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i] >= 0 ? 1f : -1f, signs[i]);
        }
        net.useTestWeights(TestMode.REAL, 0);
        assertArrayEquals(w, net.binaryWeights(0), "real-valued test mode");
    }

    @Test
    void clippingCanBeTurnedOffAndIsOffWithoutBinarization() {
        for (Method m : List.of(DEFAULT.withClip(false), DEFAULT.withBinarization(Binarization.NONE))) {
            BinaryMlp net = new BinaryMlp(TINY, 4, m, 1);
            FloatModel model = TestData.randomModel(3, TINY);
            net.setModel(model);
            net.load(TestData.noise(4, 1, 6, 3, 5), new int[] {0, 1, 2, 3}, 4);
            net.forward(true);
            net.lossGradient(new int[] {0, 1, 2, 1}, new int[1]);
            net.backward();
            net.update(0.5);
            float[] w = net.toFloatModel().layers().get(0).weights();
            float max = 0;
            for (float v : w) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max > 1.05f, m + ": expected weights beyond +-1 without clipping, max " + max);
        }
    }

    @Test
    void nesterovMomentumStep() {
        BinaryMlp net = new BinaryMlp(TINY, 4, DEFAULT.withOptimizer(TrainConfig.Optimizer.NESTEROV).withGlorotLrScale(false), 1);
        FloatModel model = TestData.randomModel(4, TINY);
        net.setModel(model);
        net.load(TestData.noise(4, 1, 6, 3, 7), new int[] {0, 1, 2, 3}, 4);
        net.forward(true);
        net.lossGradient(new int[] {0, 1, 2, 1}, new int[1]);
        net.backward();
        float[] g = net.gradW(1);
        net.update(0.01);
        float[] w0 = model.layers().get(1).weights();
        float[] w1 = net.toFloatModel().layers().get(1).weights();
        for (int i = 0; i < g.length; i++) {
            double v = -0.01 * g[i];                      // v = 0.9 * 0 - lr g
            double expected = Math.max(-1, Math.min(1, w0[i] + 0.9 * v - 0.01 * g[i]));
            assertEquals(expected, w1[i], 1e-6, "W index " + i);
        }
    }

    @Test
    void realValuedBaselineInfersWithWAndRefusesExport() {
        Dataset data = TestData.bandsDataset(3000, 500);
        TrainConfig cfg = TrainConfig.defaults().withHidden(24).withEpochs(2).withBatchSize(50)
                .withMethod(DEFAULT.withBinarization(Binarization.NONE).withDropout(0.1, 0.2));
        assertEquals(TestMode.REAL, cfg.method().testMode(), "a real-valued net is tested with its real weights");
        Trainer trainer = Trainer.quiet();
        FloatModel model = trainer.train(data, cfg, null, false);
        assertFalse(model.binary());
        assertTrue(model.accuracy(data.test()) > 0.8, "accuracy " + model.accuracy(data.test()));
        assertEquals(1 - trainer.history().get(1).testError(), model.accuracy(data.test()), 0.003,
                "the trainer's test error is the float model's (real W)");
        BcflowException e = assertThrows(BcflowException.class, () -> Exporter.toNetwork(model, 4, Map.of()));
        assertTrue(e.getMessage().contains("real-valued weights") && !e.getMessage().contains("\n"), e.getMessage());
        float[] w = model.layers().get(0).weights();
        float max = 0;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max < 1f, "Glorot-uniform init stays small: " + max);
    }

    /** With k-bit activations in training, the float model is the integer network: the same class for every image. */
    @Test
    void quantizedTrainingMatchesTheIntegerNetworkExactly() {
        Dataset data = TestData.bandsDataset(3000, 1000);
        for (int k : new int[] {2, 4}) {
            TrainConfig cfg = TrainConfig.defaults().withHidden(32, 16).withEpochs(2).withBatchSize(50)
                    .withMethod(DEFAULT.withActivationBits(k));
            Trainer trainer = Trainer.quiet();
            FloatModel model = trainer.train(data, cfg, null, false);
            assertEquals(k, model.activationBits());
            double acc = model.accuracy(data.test());
            assertTrue(acc > 0.7, k + " bits: accuracy " + acc);
            assertEquals(1 - trainer.history().get(1).testError(), acc, 1e-9, "the trainer evaluates the quantized net");
            Reference ref = new Reference(Exporter.toNetwork(model, k, Map.of()));
            int same = 0;
            for (int i = 0; i < data.test().count(); i++) {
                same += ref.classify(data.test().image(i)) == model.predict(data.test().image(i)) ? 1 : 0;
            }
            assertTrue(same >= 995, k + " bits: the integer network agrees on " + same + " of 1000 images");
        }
    }

    @Test
    void ensembleOfSampledNetsLearns() {
        Dataset data = TestData.bandsDataset(3000, 500);
        TrainConfig cfg = TrainConfig.defaults().withHidden(32).withEpochs(3).withBatchSize(50)
                .withMethod(DEFAULT.withBinarization(Binarization.STOCHASTIC).withTestMode(TestMode.ENSEMBLE, 3));
        Trainer trainer = Trainer.quiet();
        FloatModel model = trainer.train(data, cfg, null, false);
        double ensembleError = trainer.history().get(2).testError();
        assertTrue(ensembleError < 0.3, "ensemble test error " + ensembleError);
        assertTrue(model.binary(), "stochastic nets export sign(W)");
        assertTrue(model.accuracy(data.test()) > 0.6, "sign(W) accuracy " + model.accuracy(data.test()));
    }

    /** Big nets update on a second thread during backpropagation: the same bits as the sequential update. */
    @Test
    void overlappedUpdateEqualsSequentialUpdate() {
        int[] sizes = {784, 640, 10};
        assertTrue(784L * 640 >= BinaryMlp.PARALLEL_UPDATE_WEIGHTS);
        LabeledImages images = TestData.noise(20, 28, 28, 10, 4);
        int[] rows = new int[20];
        int[] labels = new int[20];
        for (int i = 0; i < 20; i++) {
            rows[i] = i;
            labels[i] = images.label(i);
        }
        for (Method m : List.of(DEFAULT, DEFAULT.withBinarization(Binarization.STOCHASTIC))) {
            BinaryMlp a = new BinaryMlp(sizes, 20, m, 3);
            BinaryMlp b = new BinaryMlp(sizes, 20, m, 3);
            a.initialise(5);
            b.initialise(5);
            for (int step = 0; step < 3; step++) {
                a.load(images, rows, 20);
                a.trainStep(labels, 1e-2, new int[1]);           // overlapped (when there is a second core)
                b.load(images, rows, 20);
                b.useTestWeights(TestMode.REAL, 0);               // whatever Wb holds, the step sets its own
                b.trainStepSequential(labels, 1e-2, new int[1]);
            }
            assertTrue(java.util.Arrays.deepEquals(a.state(), b.state()), m + ": states differ");
            a.close();
        }
    }

    @Test
    void methodValidates() {
        assertThrows(IllegalArgumentException.class, () -> DEFAULT.withTestMode(TestMode.ENSEMBLE, 3));
        assertThrows(IllegalArgumentException.class,
                () -> DEFAULT.withBinarization(Binarization.STOCHASTIC).withTestMode(TestMode.ENSEMBLE, 0));
        assertThrows(IllegalArgumentException.class, () -> DEFAULT.withDropout(1, 0));
        assertThrows(IllegalArgumentException.class, () -> DEFAULT.withActivationBits(17));
        assertEquals(TestMode.REAL, DEFAULT.withBinarization(Binarization.NONE).withTestMode(TestMode.BINARY, 0).testMode());
        TrainConfig paper = TrainConfig.defaults();
        assertEquals(DEFAULT, paper.method());
        assertNotEquals(paper, paper.withMethod(DEFAULT.withClip(false)));
    }

    @Test
    void theCheckpointKeyNamesEveryFieldAndKeepsItsForm() {
        assertEquals("binarization=DETERMINISTIC;clip=true;loss=SQUARED_HINGE;optimizer=ADAM;glorot_lr_scale=true;"
                + "dropout_input=0.0;dropout_hidden=0.0;activation_bits=0;test_mode=BINARY;ensemble=0", DEFAULT.key());
        java.util.List<TrainConfig.Method> variants = java.util.List.of(DEFAULT, DEFAULT.withClip(false),
                DEFAULT.withBinarization(Binarization.STOCHASTIC), DEFAULT.withDropout(0.1, 0), DEFAULT.withDropout(0, 0.1),
                DEFAULT.withActivationBits(2), DEFAULT.withBinarization(Binarization.STOCHASTIC).withTestMode(TestMode.ENSEMBLE, 4),
                DEFAULT.withBinarization(Binarization.STOCHASTIC).withTestMode(TestMode.ENSEMBLE, 5));
        assertEquals(variants.size(), variants.stream().map(TrainConfig.Method::key).distinct().count());
    }
}
