package org.bcflow.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately naive second implementation of the integer network, to check {@link Reference}
 * against: values held as {@code [y][x][c]} arrays, plain nested loops over y, x, c, ky, kx, the
 * weight read from the bit matrix at every use, overflow-checked arithmetic and {@code floorDiv}
 * for the shift. It shares no code with Reference; only the HWC order of the input and of the
 * trace (the contract) connects the two.
 */
final class NaiveReference {
    private NaiveReference() {
    }

    /** Per stack layer the accumulators and outputs, flattened in HWC order, and the class. */
    record Result(List<long[]> accumulators, List<long[]> outputs, int predictedClass) {
    }

    static Result run(Network net, int[] input) {
        FeatureMap shape = net.input();
        long[][][] v = new long[shape.height()][shape.width()][shape.channels()];
        for (int y = 0; y < shape.height(); y++) {
            for (int x = 0; x < shape.width(); x++) {
                for (int c = 0; c < shape.channels(); c++) {
                    v[y][x][c] = input[(y * shape.width() + x) * shape.channels() + c];
                }
            }
        }
        List<long[]> accs = new ArrayList<>();
        List<long[]> outs = new ArrayList<>();
        List<Layer> stack = net.stack();
        for (int i = 0; i < stack.size(); i++) {
            Layer layer = stack.get(i);
            long[][][] acc;
            long[][][] out;
            if (layer instanceof MaxPoolLayer p) {
                acc = new long[0][0][0];
                out = pool(v, p.p());
            } else if (layer instanceof ConvLayer c) {
                acc = conv(v, c.matrix(), c.k(), c.padding() == Padding.SAME ? (c.k() - 1) / 2 : 0);
                out = requantize(acc, c.matrix(), nextInputBits(stack, i));
            } else {
                DenseLayer d = (DenseLayer) layer;
                acc = dense(flatten(v), d);
                out = requantize(acc, d, nextInputBits(stack, i));
            }
            accs.add(flatten(acc));
            outs.add(flatten(out));
            v = out;
        }
        long[] scores = outs.get(outs.size() - 1);
        int best = 0;
        for (int n = 1; n < scores.length; n++) {
            if (scores[n] > scores[best]) {
                best = n;
            }
        }
        return new Result(accs, outs, best);
    }

    /** The input width of the next dense or conv layer after stack layer i, 0 when there is none (the scores). */
    private static int nextInputBits(List<Layer> stack, int i) {
        for (int j = i + 1; j < stack.size(); j++) {
            if (stack.get(j) instanceof DenseLayer d) {
                return d.inputBits();
            }
            if (stack.get(j) instanceof ConvLayer c) {
                return c.matrix().inputBits();
            }
        }
        return 0;
    }

    private static long[][][] conv(long[][][] in, DenseLayer m, int k, int pad) {
        int h = in.length;
        int w = in[0].length;
        int channels = in[0][0].length;
        int outH = h + 2 * pad - k + 1;
        int outW = w + 2 * pad - k + 1;
        long[][][] acc = new long[outH][outW][m.outputs()];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                for (int o = 0; o < m.outputs(); o++) {
                    long sum = 0;
                    for (int c = 0; c < channels; c++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int iy = y + ky - pad;
                                int ix = x + kx - pad;
                                long value = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0 : in[iy][ix][c];
                                int sign = m.weights().sign(o, (ky * k + kx) * channels + c);
                                sum = Math.addExact(sum, sign * value);
                            }
                        }
                    }
                    acc[y][x][o] = sum;
                }
            }
        }
        return acc;
    }

    private static long[][][] dense(long[] in, DenseLayer d) {
        long[][][] acc = new long[1][1][d.outputs()];
        for (int o = 0; o < d.outputs(); o++) {
            long sum = 0;
            for (int j = 0; j < in.length; j++) {
                sum = Math.addExact(sum, d.weights().sign(o, j) * in[j]);
            }
            acc[0][0][o] = sum;
        }
        return acc;
    }

    private static long[][][] requantize(long[][][] acc, DenseLayer m, int nextBits) {
        long[][][] out = new long[acc.length][acc[0].length][acc[0][0].length];
        for (int y = 0; y < acc.length; y++) {
            for (int x = 0; x < acc[0].length; x++) {
                for (int o = 0; o < acc[0][0].length; o++) {
                    long s = Math.addExact(Math.multiplyExact(acc[y][x][o], m.mul(o)), m.add(o));
                    long q = Math.floorDiv(s, 1L << m.shift());
                    if (nextBits > 0) {
                        q = Math.max(0, Math.min(q, (1L << nextBits) - 1));
                    }
                    out[y][x][o] = q;
                }
            }
        }
        return out;
    }

    private static long[][][] pool(long[][][] in, int p) {
        long[][][] out = new long[in.length / p][in[0].length / p][in[0][0].length];
        for (int y = 0; y < out.length; y++) {
            for (int x = 0; x < out[0].length; x++) {
                for (int c = 0; c < out[0][0].length; c++) {
                    long max = in[y * p][x * p][c];
                    for (int dy = 0; dy < p; dy++) {
                        for (int dx = 0; dx < p; dx++) {
                            max = Math.max(max, in[y * p + dy][x * p + dx][c]);
                        }
                    }
                    out[y][x][c] = max;
                }
            }
        }
        return out;
    }

    private static long[] flatten(long[][][] v) {
        if (v.length == 0) {
            return new long[0];
        }
        int w = v[0].length;
        int channels = v[0][0].length;
        long[] flat = new long[v.length * w * channels];
        for (int y = 0; y < v.length; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    flat[(y * w + x) * channels + c] = v[y][x][c];
                }
            }
        }
        return flat;
    }
}
