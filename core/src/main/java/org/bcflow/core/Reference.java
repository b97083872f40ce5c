package org.bcflow.core;

import java.util.Arrays;
import java.util.List;

/**
 * The reference interpreter of the integer network: the specification of the hardware. Every
 * width, rounding and tie-break that the Verilog does, this class does, in plain Java.
 *
 * <ul>
 *   <li>accumulate: {@code acc = sum_j (w == +1 ? x[j] : -x[j])}, exact; a dense layer over its
 *       whole input, a conv layer over each output position's window (im2col: the window is
 *       gathered in column order {@code j = (ky*k + kx)*in_channels + c}, zeros outside the map,
 *       and goes through the same dot product as a dense input);</li>
 *   <li>an input quantizer, when the network has one, first turns each raw input value into the
 *       first layer's code, {@code #{ j : x >= t_j }};</li>
 *   <li>requantize: {@code y = floor((acc * mul + add) / 2^shift)} (arithmetic right shift), per
 *       output channel, or, in a layer of explicit thresholds, {@code y = #{ j : acc >= t_j }};</li>
 *   <li>every weight layer but the last clamps y to [0, 2^bits - 1] where bits is the next weight
 *       layer's input width (a max-pool between them passes values through);</li>
 *   <li>max-pool: the largest value of each p x p window, per channel;</li>
 *   <li>the class is the index of the largest score of the last layer, the lowest index on ties.</li>
 * </ul>
 * Feature maps are in HWC order ({@link FeatureMap}); a dense layer takes the map as its vector.
 *
 * Instances are immutable and may be shared between threads.
 */
public final class Reference {
    private final Network network;
    private final List<Layer> stack;
    private final FeatureMap[] maps;  // maps[i]: the input of stack layer i; the last entry is the output
    private final boolean[][] plus;   // per stack layer, the weight matrix row-major, unpacked for speed (null for a max-pool)
    private final long[] clampMax;    // per stack layer: the largest output of a hidden weight layer, -1 for the last

    public Reference(Network network) {
        this.network = network;
        this.stack = network.stack();
        int n = stack.size();
        this.maps = new FeatureMap[n + 1];
        this.plus = new boolean[n][];
        this.clampMax = new long[n];
        maps[0] = network.input();
        for (int i = 0; i < n; i++) {
            maps[i + 1] = stack.get(i).output(maps[i]);
        }
        List<DenseLayer> weights = network.layers();
        int w = 0;
        for (int i = 0; i < n; i++) {
            DenseLayer l = matrix(stack.get(i));
            if (l == null) {
                continue;
            }
            boolean[] p = new boolean[l.outputs() * l.inputs()];
            for (int r = 0; r < l.outputs(); r++) {
                for (int c = 0; c < l.inputs(); c++) {
                    p[r * l.inputs() + c] = l.weights().isPlus(r, c);
                }
            }
            plus[i] = p;
            w++;
            clampMax[i] = w < weights.size() ? weights.get(w).maxInput() : -1;
        }
    }

    /** The weight matrix of a dense or conv layer, null for a max-pool. */
    private static DenseLayer matrix(Layer l) {
        if (l instanceof DenseLayer d) {
            return d;
        }
        if (l instanceof ConvLayer c) {
            return c.matrix();
        }
        return null;
    }

    public Network network() {
        return network;
    }

    /**
     * Everything the network computes for one input, one entry per stack layer (for an MLP, per
     * weight layer): the accumulators of a dense or conv layer (HWC order; empty for a max-pool)
     * and the layer's output map (HWC order).
     */
    public record Trace(long[][] accumulators, long[][] outputs, int predictedClass) {
        public long[] scores() {
            return outputs[outputs.length - 1];
        }
    }

    /** Runs the network on an input map in HWC order of {@link Network#inputSize()} values. */
    public Trace run(int[] input) {
        if (input.length != network.inputSize()) {
            throw new IllegalArgumentException("input has " + input.length + " values, the network takes " + network.inputSize());
        }
        int n = stack.size();
        long[][] accs = new long[n][];
        long[][] outs = new long[n][];
        long[] x = new long[input.length];
        InputQuantizer quantizer = network.quantizer();
        long maxIn = (1L << network.inputBits()) - 1;
        for (int j = 0; j < input.length; j++) {
            if (input[j] < 0 || input[j] > maxIn) {
                throw new IllegalArgumentException("input " + j + " = " + input[j] + " is outside 0.." + maxIn);
            }
            x[j] = quantizer == null ? input[j] : quantizer.code(input[j]);
        }
        for (int i = 0; i < n; i++) {
            Layer layer = stack.get(i);
            if (layer instanceof MaxPoolLayer p) {
                accs[i] = new long[0];
                outs[i] = maxPool(p.p(), maps[i], maps[i + 1], x);
            } else {
                DenseLayer m = matrix(layer);
                long[] acc = layer instanceof ConvLayer c ? convolve(i, c, x) : dense(i, m, x);
                accs[i] = acc;
                outs[i] = requantize(m, acc, clampMax[i]);
            }
            x = outs[i];
        }
        return new Trace(accs, outs, argmax(x));
    }

    public int classify(int[] input) {
        return run(input).predictedClass();
    }

    private long[] dense(int i, DenseLayer layer, long[] x) {
        long[] acc = new long[layer.outputs()];
        dot(plus[i], layer.inputs(), x, acc, 0);
        return acc;
    }

    /** The accumulators at every output position, HWC: the window of each position through the dense dot product. */
    private long[] convolve(int i, ConvLayer conv, long[] x) {
        FeatureMap in = maps[i];
        FeatureMap out = maps[i + 1];
        int k = conv.k();
        int pad = conv.pad();
        int channels = in.channels();
        long[] window = new long[k * k * channels];
        long[] acc = new long[out.size()];
        int at = 0;
        for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
                int j = 0;
                for (int ky = 0; ky < k; ky++) {
                    int iy = oy + ky - pad;
                    for (int kx = 0; kx < k; kx++) {
                        int ix = ox + kx - pad;
                        if (iy >= 0 && iy < in.height() && ix >= 0 && ix < in.width()) {
                            System.arraycopy(x, in.index(iy, ix, 0), window, j, channels);
                        } else {
                            Arrays.fill(window, j, j + channels, 0);  // padding: adds nothing whatever the weight
                        }
                        j += channels;
                    }
                }
                dot(plus[i], window.length, window, acc, at);
                at += out.channels();
            }
        }
        return acc;
    }

    /** acc[offset + r] = the signed sum of x under row r of the weights, for every row. */
    private static void dot(boolean[] p, int cols, long[] x, long[] acc, int offset) {
        int rows = p.length / cols;
        for (int r = 0; r < rows; r++) {
            long a = 0;
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                a += p[base + c] ? x[c] : -x[c];
            }
            acc[offset + r] = a;
        }
    }

    /**
     * Per output channel o: (acc * mul + add) >> shift, clamped to 0..max unless max is -1 (the
     * scores); in a layer of explicit thresholds, the number of thresholds acc reaches.
     */
    private static long[] requantize(DenseLayer layer, long[] acc, long max) {
        int channels = layer.outputs();
        long[] y = new long[acc.length];
        if (layer.hasThresholds()) {
            long[][] t = layer.thresholds();
            for (int e = 0; e < acc.length; e++) {
                long count = 0;
                for (long tj : t[e % channels]) {
                    count += acc[e] >= tj ? 1 : 0;
                }
                y[e] = count;
            }
            return y;
        }
        for (int e = 0; e < acc.length; e += channels) {
            for (int o = 0; o < channels; o++) {
                long v = (acc[e + o] * layer.mul(o) + layer.add(o)) >> layer.shift();
                y[e + o] = max < 0 ? v : Math.min(max, Math.max(0, v));
            }
        }
        return y;
    }

    private static long[] maxPool(int p, FeatureMap in, FeatureMap out, long[] x) {
        long[] y = new long[out.size()];
        for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
                for (int c = 0; c < out.channels(); c++) {
                    long m = Long.MIN_VALUE;
                    for (int dy = 0; dy < p; dy++) {
                        for (int dx = 0; dx < p; dx++) {
                            m = Math.max(m, x[in.index(oy * p + dy, ox * p + dx, c)]);
                        }
                    }
                    y[out.index(oy, ox, c)] = m;
                }
            }
        }
        return y;
    }

    /** Index of the largest value; the lowest index wins a tie. */
    public static int argmax(long[] scores) {
        return Argmax.of(scores);
    }
}
