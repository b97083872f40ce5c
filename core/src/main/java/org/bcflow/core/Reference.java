package org.bcflow.core;

/**
 * The reference interpreter of the integer network: the specification of the hardware. Every
 * width, rounding and tie-break that the Verilog does, this class does, in plain Java.
 *
 * <ul>
 *   <li>accumulate: {@code acc = sum_j (w == +1 ? x[j] : -x[j])}, exact;</li>
 *   <li>requantize: {@code y = floor((acc * mul + add) / 2^shift)} (arithmetic right shift);</li>
 *   <li>hidden layers clamp y to [0, 2^bits - 1] where bits is the next layer's input width;</li>
 *   <li>the class is the index of the largest score of the last layer, the lowest index on ties.</li>
 * </ul>
 *
 * Instances are immutable and may be shared between threads.
 */
public final class Reference {
    private final Network network;
    private final boolean[][] plus; // per layer, row-major: the same bits as the BitMatrix, unpacked for speed

    public Reference(Network network) {
        this.network = network;
        this.plus = new boolean[network.layers().size()][];
        for (int i = 0; i < plus.length; i++) {
            DenseLayer l = network.layer(i);
            boolean[] p = new boolean[l.outputs() * l.inputs()];
            for (int r = 0; r < l.outputs(); r++) {
                for (int c = 0; c < l.inputs(); c++) {
                    p[r * l.inputs() + c] = l.weights().isPlus(r, c);
                }
            }
            plus[i] = p;
        }
    }

    public Network network() {
        return network;
    }

    /** Everything the network computes for one input: per layer the accumulators and outputs. */
    public record Trace(long[][] accumulators, long[][] outputs, int predictedClass) {
        public long[] scores() {
            return outputs[outputs.length - 1];
        }
    }

    public Trace run(int[] input) {
        if (input.length != network.inputSize()) {
            throw new IllegalArgumentException("input has " + input.length + " values, the network takes " + network.inputSize());
        }
        int n = network.layers().size();
        long[][] accs = new long[n][];
        long[][] outs = new long[n][];
        long[] x = new long[input.length];
        long maxIn = network.layer(0).maxInput();
        for (int j = 0; j < input.length; j++) {
            if (input[j] < 0 || input[j] > maxIn) {
                throw new IllegalArgumentException("input " + j + " = " + input[j] + " is outside 0.." + maxIn);
            }
            x[j] = input[j];
        }
        for (int i = 0; i < n; i++) {
            DenseLayer layer = network.layer(i);
            long[] acc = accumulate(i, x);
            long[] y = new long[layer.outputs()];
            long max = network.isLast(i) ? 0 : network.layer(i + 1).maxInput();
            for (int r = 0; r < y.length; r++) {
                long v = (acc[r] * layer.mul(r) + layer.add(r)) >> layer.shift();
                y[r] = network.isLast(i) ? v : Math.min(max, Math.max(0, v));
            }
            accs[i] = acc;
            outs[i] = y;
            x = y;
        }
        return new Trace(accs, outs, argmax(x));
    }

    public int classify(int[] input) {
        return run(input).predictedClass();
    }

    private long[] accumulate(int layerIndex, long[] x) {
        DenseLayer layer = network.layer(layerIndex);
        boolean[] p = plus[layerIndex];
        int cols = layer.inputs();
        long[] acc = new long[layer.outputs()];
        for (int r = 0; r < acc.length; r++) {
            long a = 0;
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                a += p[base + c] ? x[c] : -x[c];
            }
            acc[r] = a;
        }
        return acc;
    }

    /** Index of the largest value; the lowest index wins a tie. */
    public static int argmax(long[] scores) {
        return Argmax.of(scores);
    }
}
