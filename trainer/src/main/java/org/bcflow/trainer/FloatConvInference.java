package org.bcflow.trainer;

import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.Architecture;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.Padding;

/**
 * Inference of a convolutional {@link FloatModel} in double precision, in plain loops: the
 * specification the conv trainer and the integer export are tested against, as FloatModel's own
 * evaluator is for MLPs. Maps are HWC; a conv layer sums {@code sign(W) x} over each k x k window
 * (0 outside the map for same padding) in column order {@code (ky * k + kx) * C + c}; then batch
 * norm with the running statistics and, for hidden layers, {@code clip(y, 0, 1)} (k-bit when the
 * model says so); a max-pool keeps the largest activation of each window. The first layer sums
 * {@code +-pixel} exactly in integers and divides by 255.
 */
final class FloatConvInference {
    private final FloatModel model;
    private final List<Architecture.Block> blocks;   // the architecture's blocks, the output layer last
    private final double[][] signs;                  // per weight layer, row-major (sign(W), or W for real-valued models)
    private final double[][] scale;
    private final float[][] mean;
    private final float[][] beta;
    private final int q;

    FloatConvInference(FloatModel model) {
        this.model = model;
        this.blocks = blocksWithOutput(model.arch());
        int n = model.layers().size();
        signs = new double[n][];
        scale = new double[n][];
        mean = new float[n][];
        beta = new float[n][];
        for (int k = 0; k < n; k++) {
            FloatLayer l = model.layers().get(k);
            float[] w = l.weights();
            signs[k] = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                signs[k][i] = model.binary() ? (w[i] >= 0f ? 1.0 : -1.0) : w[i];
            }
            scale[k] = l.foldedScale();
            mean[k] = l.runningMean();
            beta[k] = l.beta();
        }
        q = model.activationBits() == 0 ? 0 : (1 << model.activationBits()) - 1;
    }

    /** Refuses layers that do not have the sizes the architecture gives them on this input. */
    static void check(List<FloatLayer> layers, Architecture arch, FeatureMap input) {
        List<FeatureMap> shapes = arch.shapes(input);
        List<Architecture.Block> blocks = blocksWithOutput(arch);
        FeatureMap map = input;
        int w = 0;
        for (int i = 0; i < blocks.size(); i++) {
            Architecture.Block b = blocks.get(i);
            if (!(b instanceof Architecture.Pool)) {
                if (w >= layers.size()) {
                    throw new IllegalArgumentException("the architecture " + arch + " has more weight layers than the model's " + layers.size());
                }
                int cols = b instanceof Architecture.Conv c ? c.k() * c.k() * map.channels() : map.size();
                FloatLayer l = layers.get(w);
                if (l.inputs() != cols || l.outputs() != shapes.get(i).channels()) {
                    throw new IllegalArgumentException("weight layer " + w + " is " + l.inputs() + " -> " + l.outputs()
                            + " but " + b.token() + " on a " + map + " map needs " + cols + " -> " + shapes.get(i).channels());
                }
                w++;
            }
            map = shapes.get(i);
        }
        if (w != layers.size()) {
            throw new IllegalArgumentException("the model has " + layers.size() + " weight layers, the architecture " + arch + " " + w);
        }
    }

    private static List<Architecture.Block> blocksWithOutput(Architecture arch) {
        List<Architecture.Block> b = new ArrayList<>(arch.blocks());
        b.add(new Architecture.Dense(Integer.toString(arch.classes()), arch.classes()));
        return b;
    }

    double[] scores(int[] pixels) {
        FeatureMap map = model.input();
        if (pixels.length != map.size()) {
            throw new IllegalArgumentException("image has " + pixels.length + " values, the model takes " + map);
        }
        double[] x = new double[pixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = pixels[i];                      // the first layer's sums stay integers; / 255 after
        }
        int w = 0;
        for (int i = 0; i < blocks.size(); i++) {
            Architecture.Block b = blocks.get(i);
            boolean last = i == blocks.size() - 1;
            if (b instanceof Architecture.Pool p) {
                FeatureMap out = new FeatureMap(map.channels(), map.height() / p.p(), map.width() / p.p());
                x = pool(x, map, p.p(), out);
                map = out;
                continue;
            }
            double inScale = w == 0 ? 255.0 : 1.0;
            double[] z;
            FeatureMap out;
            if (b instanceof Architecture.Conv c) {
                int pad = c.padding() == Padding.SAME ? (c.k() - 1) / 2 : 0;
                out = new FeatureMap(c.channels(), map.height() + 2 * pad - c.k() + 1, map.width() + 2 * pad - c.k() + 1);
                z = conv(x, map, signs[w], c.k(), pad, out);
            } else {
                out = FeatureMap.vector(model.layers().get(w).outputs());
                z = dense(x, signs[w], out.channels());
            }
            int n = out.channels();
            for (int j = 0; j < z.length; j++) {
                int ch = j % n;
                double y = scale[w][ch] * (z[j] / inScale - mean[w][ch]) + beta[w][ch];
                if (!last) {
                    y = Math.min(1.0, Math.max(0.0, y));
                    if (q > 0) {
                        y = Math.floor(y * q + 0.5) / q;
                    }
                }
                z[j] = y;
            }
            x = z;
            map = out;
            w++;
        }
        return x;
    }

    private static double[] conv(double[] x, FeatureMap in, double[] s, int k, int pad, FeatureMap out) {
        int c = in.channels();
        int cols = k * k * c;
        double[] z = new double[out.size()];
        for (int y = 0; y < out.height(); y++) {
            for (int xo = 0; xo < out.width(); xo++) {
                for (int o = 0; o < out.channels(); o++) {
                    double acc = 0;
                    for (int ky = 0; ky < k; ky++) {
                        int sy = y + ky - pad;
                        if (sy < 0 || sy >= in.height()) {
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int sx = xo + kx - pad;
                            if (sx < 0 || sx >= in.width()) {
                                continue;
                            }
                            int src = in.index(sy, sx, 0);
                            int wi = o * cols + (ky * k + kx) * c;
                            for (int ch = 0; ch < c; ch++) {
                                acc += s[wi + ch] * x[src + ch];
                            }
                        }
                    }
                    z[out.index(y, xo, o)] = acc;
                }
            }
        }
        return z;
    }

    private static double[] dense(double[] x, double[] s, int n) {
        double[] z = new double[n];
        for (int r = 0; r < n; r++) {
            double acc = 0;
            for (int j = 0, i = r * x.length; j < x.length; j++, i++) {
                acc += s[i] * x[j];
            }
            z[r] = acc;
        }
        return z;
    }

    private static double[] pool(double[] x, FeatureMap in, int p, FeatureMap out) {
        double[] y = new double[out.size()];
        for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
                for (int c = 0; c < in.channels(); c++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < p; ky++) {
                        for (int kx = 0; kx < p; kx++) {
                            m = Math.max(m, x[in.index(oy * p + ky, ox * p + kx, c)]);
                        }
                    }
                    y[out.index(oy, ox, c)] = m;
                }
            }
        }
        return y;
    }
}
