package org.bcflow.core;

/**
 * The requantization of a hidden layer, {@code y = clamp((acc * mul + add) >> shift, 0, 2^k - 1)},
 * rewritten as comparisons so that narrow activations need no multiplier in hardware:
 * {@code y = #{ j in 1..2^k-1 : s * acc >= t_j }} with a per-neuron sign {@code s} (-1 when
 * mul &lt; 0) and nondecreasing thresholds {@code t_j}. Derived exactly from mul, add and shift, so
 * the reference semantics do not change; thresholds beyond the accumulator's range are clipped to
 * {@code -bound} (always true) and {@code bound + 1} (never).
 */
public final class Thresholds {
    /** Widest activation that uses thresholds: 2^4 - 1 = 15 comparisons per neuron. */
    public static final int MAX_BITS = 4;

    private Thresholds() {
    }

    /**
     * Neuron n's comparison: {@code negate} says whether to compare -acc, {@code t[j-1]} is t_j.
     */
    public record Neuron(boolean negate, long[] t) {
        public long apply(long acc) {
            long a = negate ? -acc : acc;
            long y = 0;
            for (long tj : t) {
                y += a >= tj ? 1 : 0;
            }
            return y;
        }
    }

    /**
     * The thresholds of every neuron of a hidden layer whose outputs are {@code outBits} wide: a
     * layer of explicit thresholds gives its own, never negated.
     */
    public static Neuron[] of(DenseLayer layer, int outBits) {
        if (layer.hasThresholds()) {
            Neuron[] own = new Neuron[layer.outputs()];
            for (int n = 0; n < own.length; n++) {
                own[n] = new Neuron(false, layer.thresholds(n));
            }
            return own;
        }
        long bound = Math.multiplyExact((long) layer.inputs(), layer.maxInput());
        int count = (1 << outBits) - 1;
        Neuron[] out = new Neuron[layer.outputs()];
        for (int n = 0; n < out.length; n++) {
            long mul = layer.mul(n);
            long add = layer.add(n);
            long[] t = new long[count];
            for (int j = 1; j <= count; j++) {
                long level = (long) j << layer.shift();  // y >= j  <=>  acc * mul + add >= j * 2^shift
                long need = level - add;
                long tj;
                if (mul > 0) {
                    tj = -Math.floorDiv(-need, mul);                  // acc >= ceil(need / mul)
                } else if (mul < 0) {
                    tj = -Math.floorDiv(-need, -mul);                 // -acc >= ceil(need / -mul)
                } else {
                    tj = need <= 0 ? Long.MIN_VALUE : Long.MAX_VALUE;  // add alone decides
                }
                t[j - 1] = Math.max(-bound, Math.min(bound + 1, tj));
            }
            out[n] = new Neuron(mul < 0, t);
        }
        return out;
    }

    // ceil(a / b) = -floor(-a / b) for b > 0 (Java 17 has no Math.ceilDiv)

    /** Signed bits of a threshold: the accumulator's range plus one, for bound + 1. */
    public static int bits(DenseLayer layer) {
        return Widths.signedBitsForMagnitude(Math.multiplyExact((long) layer.inputs(), layer.maxInput()) + 1);
    }
}
