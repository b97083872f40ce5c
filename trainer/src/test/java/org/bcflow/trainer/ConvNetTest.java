package org.bcflow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bcflow.core.Architecture;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.data.LabeledImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConvNetTest {

    private static LabeledImages images(int count, int c, int h, int w, int classes, long seed) {
        Random rnd = new Random(seed);
        byte[] pixels = new byte[count * c * h * w];
        rnd.nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) rnd.nextInt(classes);
        }
        return new LabeledImages(count, h, w * c, pixels, labels, classes); // HWC bytes; the net reads the shape it is given
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /**
     * Every layer's gammas made positive, negative or zero by turns: a max-pool after a layer with
     * a negative gamma pools that channel's smallest z, and a zero gamma makes every z alike.
     */
    private static void mixGammaSigns(ConvNet net, long steps) {
        float[][] state = net.state();
        for (int k = 0; k < state.length; k += BinaryMlp.STATE_ARRAYS) {
            float[] gamma = state[k + 1];
            for (int c = 0; c < gamma.length; c++) {
                gamma[c] = new float[] {1.3f, -0.7f, 0.4f, -1.1f, 0f}[c % 5];
            }
        }
        net.setState(state, steps);
    }

    /**
     * The analytic weight gradients of every layer against central differences of the loss, on a
     * real-valued net (binarization none: the loss is smooth in W) with conv (both paddings, 1
     * and 3 channels), max-pool and dense layers, gammas of both signs.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1x6x6 3C3-MP2-4C3v-5FC-3", "3x5x7 2C3v-3C1-4FC-3", "2x4x4 3C3-3C3-MP2-3", "1x8x8 2C5v-MP2-2FC-3"})
    void gradientsMatchFiniteDifferences(String spec) {
        String[] parts = spec.split(" ");
        String[] chw = parts[0].split("x");
        FeatureMap in = new FeatureMap(Integer.parseInt(chw[0]), Integer.parseInt(chw[1]), Integer.parseInt(chw[2]));
        Architecture arch = Architecture.parse(parts[1]);
        TrainConfig.Method m = TrainConfig.Method.defaults().withBinarization(TrainConfig.Binarization.NONE)
                .withLoss(TrainConfig.Loss.CROSS_ENTROPY);
        int batch = 4;
        ConvNet net = new ConvNet(arch, in, batch, m, 3);
        net.initialise(5);
        mixGammaSigns(net, 0);
        LabeledImages data = images(batch, in.channels(), in.height(), in.width(), arch.classes(), 7);
        net.load(data, range(batch), batch);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = data.label(i);
        }
        net.lossAndGradients(labels, new int[1]);
        Random rnd = new Random(11);
        int layers = net.layerDims().length / 2;
        for (int k = 0; k < layers; k++) {
            float[] analytic = net.gradW(k);
            float[] w = net.realWeights(k);
            for (int t = 0; t < 6; t++) {
                int i = rnd.nextInt(w.length);
                float saved = w[i];
                double h = 1e-3;
                w[i] = (float) (saved + h);
                net.reloadWeights();
                double up = net.lossAndGradients(labels, new int[1]);
                w[i] = (float) (saved - h);
                net.reloadWeights();
                double down = net.lossAndGradients(labels, new int[1]);
                w[i] = saved;
                net.reloadWeights();
                double numeric = (up - down) / (2 * h);
                double tol = 2e-3 + 0.05 * Math.abs(numeric);
                assertEquals(numeric, analytic[i], tol, spec + ": dL/dW of layer " + k + " weight " + i);
            }
        }
    }

    /** A dense-only architecture through ConvNet trains exactly as BinaryMlp does (same init, same arithmetic). */
    @Test
    void denseOnlyNetTrainsLikeTheMlp() {
        LabeledImages data = images(40, 1, 6, 6, 4, 2);
        TrainConfig.Method m = TrainConfig.Method.defaults();
        int batch = 10;
        ConvNet conv = new ConvNet(Architecture.parse("16FC-8FC-4"), new FeatureMap(1, 6, 6), batch, m, 1);
        BinaryMlp mlp = new BinaryMlp(new int[] {36, 16, 8, 4}, batch, m, 1);
        conv.initialise(9);
        mlp.initialise(9);
        for (int step = 0; step < 3; step++) {
            int[] idx = new int[batch];
            int[] labels = new int[batch];
            for (int r = 0; r < batch; r++) {
                idx[r] = step * batch + r;
                labels[r] = data.label(idx[r]);
            }
            conv.load(data, idx, batch);
            mlp.load(data, idx, batch);
            double a = conv.trainStep(labels, 1e-2, new int[1]);
            double b = mlp.trainStepSequential(labels, 1e-2, new int[1]);
            assertEquals(b, a, 1e-6, "loss of step " + step);
        }
        float[][] sc = conv.state();
        float[][] sm = mlp.state();
        for (int i = 0; i < sm.length; i++) {
            assertArrayEquals(sm[i], sc[i], 1e-5f, "state array " + i);
        }
    }

    /** Inference of the trained net equals the plain-Java specification of its float model (conv layout, pooling, BN, gammas of both signs). */
    @Test
    void inferenceEqualsPlainJavaFloatModel() {
        FeatureMap in = new FeatureMap(3, 6, 6);
        Architecture arch = Architecture.parse("4C3-MP2-3C3v-5FC-3");
        TrainConfig.Method m = TrainConfig.Method.defaults().withActivationBits(2);
        int batch = 8;
        ConvNet net = new ConvNet(arch, in, batch, m, 1);
        net.initialise(4);
        LabeledImages data = images(batch, 3, 6, 6, 3, 5);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = data.label(i);
        }
        for (int s = 0; s < 5; s++) {          // move the running statistics and gammas off their start
            net.load(data, range(batch), batch);
            net.trainStep(labels, 1e-2, new int[1]);
        }
        mixGammaSigns(net, net.adamSteps());
        net.load(data, range(batch), batch);
        net.forward(false);
        float[] scores = net.scores();
        FloatModel model = net.toFloatModel();
        assertTrue(model.isConvolutional());
        for (int i = 0; i < batch; i++) {
            float[] expected = model.scores(data.image(i));
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[c], scores[i * 3 + c], 1e-3 + 1e-3 * Math.abs(expected[c]), "image " + i + " class " + c);
            }
        }
    }

    /** The augmentation's translation: out(y, x, c) = in(y - dy, x - dx, c), zeros where that is outside. */
    @Test
    void translateMovesTheImageAndFillsZeros() {
        FeatureMap shape = new FeatureMap(2, 3, 4);
        float[] in = new float[shape.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = i + 1;
        }
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -3; dx <= 3; dx++) {
                float[] out = new float[in.length];
                ConvNet.translate(in, out, 0, shape, dy, dx);
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 4; x++) {
                        for (int c = 0; c < 2; c++) {
                            int sy = y - dy;
                            int sx = x - dx;
                            float expected = sy >= 0 && sy < 3 && sx >= 0 && sx < 4 ? in[shape.index(sy, sx, c)] : 0f;
                            assertEquals(expected, out[shape.index(y, x, c)], "dy " + dy + " dx " + dx + " at " + y + "," + x + "," + c);
                        }
                    }
                }
            }
        }
    }

    /** With the shift on, two nets of the same seed train alike, and differently from one without it. */
    @Test
    void augmentationIsSeededAndChangesTraining() {
        FeatureMap in = new FeatureMap(1, 6, 6);
        Architecture arch = Architecture.parse("3C3-MP2-4");
        TrainConfig.Method shifted = TrainConfig.Method.defaults().withAugmentShift(2);
        LabeledImages data = images(8, 1, 6, 6, 4, 3);
        int[] labels = new int[8];
        for (int i = 0; i < 8; i++) {
            labels[i] = data.label(i);
        }
        float[][][] states = new float[3][][];
        TrainConfig.Method[] methods = {shifted, shifted, TrainConfig.Method.defaults()};
        for (int n = 0; n < 3; n++) {
            ConvNet net = new ConvNet(arch, in, 8, methods[n], 1);
            net.initialise(2);
            for (int step = 0; step < 3; step++) {
                net.load(data, range(8), 8);
                net.trainStep(labels, 1e-2, new int[1]);
            }
            states[n] = net.state();
            net.close();
        }
        assertArrayEquals(states[0][0], states[1][0]);
        assertTrue(!java.util.Arrays.equals(states[0][0], states[2][0]), "the shift changed nothing");
    }
}
