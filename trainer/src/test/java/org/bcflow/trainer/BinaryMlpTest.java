package org.bcflow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.bcflow.core.BitMatrix;
import org.bcflow.core.data.LabeledImages;
import org.junit.jupiter.api.Test;

/** The ND4J net against plain double-precision Java: signs, gradients, the Adam step, inference. */
class BinaryMlpTest {
    private static final int[] TINY = {6, 5, 3};
    private static final int BATCH = 4;
    private static final int[] ROWS = {0, 1, 2, 3};

    @Test
    void binarizesWithSignOfZeroPlusOne() {
        float[] w = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, -Float.MIN_VALUE, 0.5f, -0.5f,
                1f, -1f, 0.25f, -0.25f, 0f, 0f, -0f, 1e-7f};
        float[] expected = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            expected[i] = w[i] >= 0f ? 1f : -1f;
        }
        assertEquals(1f, expected[1], "-0 counts as 0, so +1");
        assertEquals(-1f, expected[5]);
        FloatLayer layer = new FloatLayer(8, 2, w, new float[] {1, 1}, new float[2], new float[2],
                new float[] {1, 1}, BinaryMlp.BN_EPS);
        BinaryMlp net = new BinaryMlp(new int[] {8, 2}, 2);
        net.setModel(new FloatModel(List.of(layer)));
        assertArrayEquals(expected, net.binaryWeights(0));
        BitMatrix bits = Exporter.toNetwork(new FloatModel(List.of(layer)), 8, Map.of()).layer(0).weights();
        for (int i = 0; i < w.length; i++) {
            assertEquals((int) expected[i], layer.sign(i / 8, i % 8), "FloatLayer.sign at " + i);
            assertEquals((int) expected[i], bits.sign(i / 8, i % 8), "exported bit at " + i);
        }
        // the float model sees z = sign(w[0][j]) * 255 / 255 for a single bright pixel j
        for (int j = 0; j < 8; j++) {
            int[] pixels = new int[8];
            pixels[j] = 255;
            float z = new FloatModel(List.of(layer)).scores(pixels)[0];
            assertEquals(expected[j] / Math.sqrt(1 + BinaryMlp.BN_EPS), z, 1e-6, "pixel " + j);
        }
    }

    /** The branch-free gradient mask of clip(y, 0, 1) against the plain comparison, edges and random values. */
    @Test
    void clipPassesTheGradientStrictlyInsideZeroOne() {
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, 0.5f,
                Math.nextDown(1f), 1f, Math.nextUp(1f), -1f, 2f, -0.5f, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xFFC00000)};
        java.util.Random rnd = new java.util.Random(5);
        int n = edges.length + 10_000;
        float[] pre = new float[n];
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            pre[i] = i < edges.length ? edges[i] : (float) (rnd.nextGaussian() * 2);
            d[i] = (float) rnd.nextGaussian() * (i % 3 == 0 ? -1 : 1);
        }
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = pre[i] > 0f && pre[i] < 1f ? d[i] : 0f;
        }
        BinaryMlp.passInsideUnitInterval(d, pre, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(d[i]), "pre = " + pre[i]);
        }
    }

    static java.util.stream.Stream<TrainConfig.Method> methods() {
        TrainConfig.Method d = TrainConfig.Method.defaults();
        return java.util.stream.Stream.of(d, d.withLoss(TrainConfig.Loss.CROSS_ENTROPY), d.withActivationBits(2),
                d.withActivationBits(4).withLoss(TrainConfig.Loss.CROSS_ENTROPY),
                d.withBinarization(TrainConfig.Binarization.NONE));
    }

    /**
     * The gradient of the binary dense layers (with respect to Wb, gamma, beta) against central
     * differences of a plain, slow double-precision implementation; k-bit activations through
     * the straight-through estimator (the rounding offsets are frozen at the base point).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("methods")
    void gradientsMatchFiniteDifferencesOfPlainJava(TrainConfig.Method method) {
        FloatModel model = TestData.randomModel(7, TINY);
        LabeledImages images = TestData.noise(BATCH, 1, 6, 3, 11);
        int[] labels = labels(images);
        BinaryMlp net = new BinaryMlp(TINY, BATCH, method, 1);
        net.setModel(model);
        net.load(images, ROWS, BATCH);
        net.forward(true);
        double loss = net.lossGradient(labels, new int[1]);
        net.backward();

        Plain ref = new Plain(model, images, method);
        assertEquals(ref.loss(), loss, 1e-6, "loss");
        double h = 1e-6;
        for (int l = 0; l < TINY.length - 1; l++) {
            float[] gw = net.gradW(l);
            for (int i = 0; i < gw.length; i++) {
                double num = ref.derivative(ref.wb[l], i, h);
                assertClose(num, gw[i], "dL/dWb layer " + l + " index " + i);
            }
            float[] gg = net.gradGamma(l);
            float[] gb = net.gradBeta(l);
            for (int n = 0; n < gg.length; n++) {
                assertClose(ref.derivative(ref.gamma[l], n, h), gg[n], "dL/dgamma layer " + l + " neuron " + n);
                assertClose(ref.derivative(ref.beta[l], n, h), gb[n], "dL/dbeta layer " + l + " neuron " + n);
            }
        }
        // running statistics: r = 0.9 r + 0.1 batch value, variance unbiased
        ref.loss();
        FloatModel after = net.toFloatModel();
        for (int l = 0; l < TINY.length - 1; l++) {
            FloatLayer before = model.layers().get(l);
            for (int n = 0; n < TINY[l + 1]; n++) {
                assertEquals(0.9 * before.runningMean()[n] + 0.1 * ref.mean[l][n], after.layers().get(l).runningMean()[n], 1e-4);
                assertEquals(0.9 * before.runningVar()[n] + 0.1 * ref.var[l][n] * BATCH / (BATCH - 1),
                        after.layers().get(l).runningVar()[n], 1e-3 * before.runningVar()[n]);
            }
        }
    }

    @Test
    void adamStepThenClipToPlusMinusOne() {
        FloatModel model = TestData.randomModel(3, TINY);
        LabeledImages images = TestData.noise(BATCH, 1, 6, 3, 5);
        BinaryMlp net = new BinaryMlp(TINY, BATCH);
        net.setModel(model);
        net.load(images, ROWS, BATCH);
        net.forward(true);
        net.lossGradient(labels(images), new int[1]);
        net.backward();
        float[][] gw = {net.gradW(0), net.gradW(1)};
        float[][] gg = {net.gradGamma(0), net.gradGamma(1)};
        double lr = 0.1; // at t = 1 Adam moves every weight by about lr * scale = 0.27 or more: many clip
        net.update(lr);
        FloatModel after = net.toFloatModel();
        int clipped = 0;
        for (int l = 0; l < 2; l++) {
            float[] w0 = model.layers().get(l).weights();
            float[] w1 = after.layers().get(l).weights();
            double scale = 1 / Math.sqrt(1.5 / (TINY[l] + TINY[l + 1]));
            for (int i = 0; i < w0.length; i++) {
                double expected = Math.max(-1, Math.min(1, w0[i] - adamStep(gw[l][i], lr * scale)));
                assertEquals(expected, w1[i], 1e-5, "W layer " + l + " index " + i);
                assertTrue(w1[i] >= -1f && w1[i] <= 1f);
                clipped += Math.abs(w1[i]) == 1f ? 1 : 0;
            }
            float[] wb = net.binaryWeights(l);
            for (int i = 0; i < w1.length; i++) {
                assertEquals(w1[i] >= 0f ? 1f : -1f, wb[i], "binarized again after the update");
            }
            float[] g0 = model.layers().get(l).gamma();
            for (int n = 0; n < g0.length; n++) {
                assertEquals(g0[n] - adamStep(gg[l][n], lr), after.layers().get(l).gamma()[n], 1e-5, "gamma");
            }
        }
        assertTrue(clipped > 5, "expected some weights clipped to +-1, got " + clipped);
    }

    @Test
    void inferenceEqualsPlainJavaFloatModel() {
        int[] sizes = {784, 64, 32, 10};
        int batch = 20;
        LabeledImages images = TestData.noise(batch, 28, 28, 10, 3);
        BinaryMlp net = new BinaryMlp(sizes, batch);
        net.initialise(42);
        int[] rows = new int[batch];
        for (int i = 0; i < batch; i++) {
            rows[i] = i;
        }
        net.load(images, rows, batch);
        for (int i = 0; i < 80; i++) {
            net.forward(true); // running statistics converge to this batch's, so activations are spread out
        }
        net.forward(false);
        float[] scores = net.scores();
        FloatModel model = net.toFloatModel();
        int spread = 0;
        for (int r = 0; r < batch; r++) {
            float[] expected = model.scores(images.image(r));
            for (int c = 0; c < 10; c++) {
                assertEquals(expected[c], scores[r * 10 + c], 1e-3 * (1 + Math.abs(expected[c])), "image " + r + " class " + c);
            }
            int predicted = model.predict(images.image(r));
            int mlp = argmax(scores, r * 10, 10);
            assertEquals(predicted, mlp, "image " + r);
            spread |= 1 << predicted;
        }
        assertTrue(Integer.bitCount(spread) > 1, "a degenerate model predicts one class only");
    }

    private static double adamStep(double g, double lr) {
        double m = 0.1 * g;
        double v = 0.001 * g * g;
        return lr * Math.sqrt(1 - 0.999) / (1 - 0.9) * m / (Math.sqrt(v) + 1e-8);
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 2e-5 + 2e-3 * Math.abs(expected), what);
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }

    private static int[] labels(LabeledImages images) {
        int[] l = new int[images.count()];
        for (int i = 0; i < l.length; i++) {
            l[i] = images.label(i);
        }
        return l;
    }

    /** The training forward pass in plain double precision, with Wb, gamma and beta as free parameters. */
    private static final class Plain {
        final double[][] wb;
        final double[][] gamma;
        final double[][] beta;
        final double[][] mean;
        final double[][] var;
        final int[] sizes;
        final double[][] x;
        final int[] labels;

        final TrainConfig.Method method;
        double[][][] frozen;                 // per layer, image, neuron: quantized minus clipped activation

        Plain(FloatModel m, LabeledImages images, TrainConfig.Method method) {
            this.method = method;
            int n = m.layers().size();
            sizes = new int[n + 1];
            wb = new double[n][];
            gamma = new double[n][];
            beta = new double[n][];
            mean = new double[n][];
            var = new double[n][];
            for (int l = 0; l < n; l++) {
                FloatLayer f = m.layers().get(l);
                sizes[l] = f.inputs();
                sizes[l + 1] = f.outputs();
                wb[l] = new double[f.inputs() * f.outputs()];
                for (int i = 0; i < wb[l].length; i++) {
                    wb[l][i] = method.binary() ? f.sign(i / f.inputs(), i % f.inputs()) : f.weights()[i];
                }
                gamma[l] = toDouble(f.gamma());
                beta[l] = toDouble(f.beta());
            }
            x = new double[images.count()][];
            labels = new int[images.count()];
            for (int b = 0; b < x.length; b++) {
                int[] p = images.image(b);
                x[b] = new double[p.length];
                for (int j = 0; j < p.length; j++) {
                    x[b][j] = p[j] / 255.0;
                }
                labels[b] = images.label(b);
            }
        }

        double derivative(double[] param, int i, double h) {
            double keep = param[i];
            param[i] = keep + h;
            double up = loss();
            param[i] = keep - h;
            double down = loss();
            param[i] = keep;
            return (up - down) / (2 * h);
        }

        double loss() {
            int batch = x.length;
            double[][] h = x;
            boolean freeze = frozen == null;
            if (freeze) {
                frozen = new double[wb.length][batch][];
            }
            double q = (1 << method.activationBits()) - 1;
            for (int l = 0; l < wb.length; l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                double[][] y = new double[batch][out];
                mean[l] = new double[out];
                var[l] = new double[out];
                for (int n = 0; n < out; n++) {
                    double[] z = new double[batch];
                    for (int b = 0; b < batch; b++) {
                        for (int j = 0; j < in; j++) {
                            z[b] += wb[l][n * in + j] * h[b][j];
                        }
                        mean[l][n] += z[b] / batch;
                    }
                    for (int b = 0; b < batch; b++) {
                        var[l][n] += (z[b] - mean[l][n]) * (z[b] - mean[l][n]) / batch;
                    }
                    for (int b = 0; b < batch; b++) {
                        y[b][n] = gamma[l][n] * (z[b] - mean[l][n]) / Math.sqrt(var[l][n] + BinaryMlp.BN_EPS) + beta[l][n];
                        if (l < wb.length - 1) {
                            double c = Math.min(1, Math.max(0, y[b][n]));
                            if (freeze) {
                                frozen[l][b] = frozen[l][b] == null ? new double[out] : frozen[l][b];
                                frozen[l][b][n] = method.activationBits() == 0 ? 0 : Math.floor(c * q + 0.5) / q - c;
                            }
                            y[b][n] = c + frozen[l][b][n];
                        }
                    }
                }
                h = y;
            }
            double loss = 0;
            int classes = sizes[sizes.length - 1];
            if (method.loss() == TrainConfig.Loss.CROSS_ENTROPY) {
                for (int b = 0; b < batch; b++) {
                    double sum = 0;
                    for (int c = 0; c < classes; c++) {
                        sum += Math.exp(h[b][c]);
                    }
                    loss += Math.log(sum) - h[b][labels[b]];
                }
                return loss / batch;
            }
            for (int b = 0; b < batch; b++) {
                for (int c = 0; c < classes; c++) {
                    double t = c == labels[b] ? 1 : -1;
                    double margin = Math.max(0, 1 - t * h[b][c]);
                    loss += margin * margin;
                }
            }
            return loss / (batch * classes);
        }

        private static double[] toDouble(float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }
    }
}
