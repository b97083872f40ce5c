package org.bcflow.core;

import java.util.Arrays;

/**
 * One binary-weight dense layer of the integer network.
 *
 * <p>For an input vector x of unsigned {@code inputBits}-bit integers it computes, per output
 * neuron n, the accumulator {@code acc[n] = sum_j (w[n][j] == +1 ? x[j] : -x[j])} and then the
 * folded batch norm {@code y[n] = floor((acc[n] * mul[n] + add[n]) / 2^shift)}. A hidden layer
 * clamps y to the next layer's input range; the last layer's y are the class scores. See
 * {@link Reference} for the exact semantics.
 *
 * @param name     short name used in Verilog and file names, e.g. {@code dense0}
 * @param weights  outputs x inputs, bit set = +1
 * @param inputBits width of the unsigned input activations
 * @param mul      per-neuron signed multiplier of the folded batch norm (negative when gamma is)
 * @param add      per-neuron signed offset, already including the rounding offset
 * @param shift    arithmetic right shift applied after the multiply-add
 * @param thresholds null for the multiply-add above; otherwise a hidden layer given by explicit
 *                 thresholds: {@code out[n] = #{ j : acc[n] >= thresholds[n][j] }}, each row
 *                 nondecreasing, within {@code [-B, B + 1]} ({@code B} the largest |acc|), and mul,
 *                 add and shift all zero. Imported models use it: their activation steps need not
 *                 be evenly spaced, which a multiply-add and a shift cannot express.
 */
public record DenseLayer(String name, BitMatrix weights, int inputBits, long[] mul, long[] add, int shift,
        long[][] thresholds) implements Layer {

    /** Multipliers are kept to this many signed bits so that one DSP-sized multiplier per lane suffices. */
    public static final int MAX_MUL_BITS = 18;

    /** A layer that requantizes by multiply-add and shift. */
    public DenseLayer(String name, BitMatrix weights, int inputBits, long[] mul, long[] add, int shift) {
        this(name, weights, inputBits, mul, add, shift, null);
    }

    /** A hidden layer that requantizes by explicit thresholds (see {@link #thresholds}). */
    public static DenseLayer withThresholds(String name, BitMatrix weights, int inputBits, long[][] thresholds) {
        return new DenseLayer(name, weights, inputBits, new long[weights.rows()], new long[weights.rows()], 0, thresholds);
    }

    public DenseLayer {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("layer name must be a lower-case identifier, got " + name);
        }
        if (!BitWidth.valid(inputBits)) {
            throw new IllegalArgumentException(name + ": input bits must be " + BitWidth.range() + ", got " + inputBits);
        }
        if (mul.length != weights.rows() || add.length != weights.rows()) {
            throw new IllegalArgumentException(name + ": " + weights.rows() + " neurons but " + mul.length
                    + " multipliers and " + add.length + " offsets");
        }
        if (shift < 0 || shift > 48) {
            throw new IllegalArgumentException(name + ": shift must be 0..48, got " + shift);
        }
        for (long m : mul) {
            if (Widths.signedBits(m) > MAX_MUL_BITS) {
                throw new IllegalArgumentException(name + ": multiplier " + m + " exceeds " + MAX_MUL_BITS + " signed bits");
            }
        }
        mul = mul.clone();
        add = add.clone();
        if (thresholds != null) {
            thresholds = checkedThresholds(name, thresholds, weights, inputBits, mul, add, shift);
        }
    }

    private static long[][] checkedThresholds(String name, long[][] t, BitMatrix weights, int inputBits, long[] mul, long[] add,
            int shift) {
        if (t.length != weights.rows()) {
            throw new IllegalArgumentException(name + ": " + weights.rows() + " neurons but " + t.length + " rows of thresholds");
        }
        if (shift != 0 || Arrays.stream(mul).anyMatch(m -> m != 0) || Arrays.stream(add).anyMatch(a -> a != 0)) {
            throw new IllegalArgumentException(name + ": a layer of thresholds has no multipliers, offsets or shift");
        }
        long bound = Math.multiplyExact((long) weights.cols(), (1L << inputBits) - 1);
        long[][] copy = new long[t.length][];
        for (int n = 0; n < t.length; n++) {
            if (t[n] == null || t[n].length == 0 || t[n].length != t[0].length) {
                throw new IllegalArgumentException(name + ": neuron " + n + " needs " + (t[0] == null ? "some" : t[0].length)
                        + " thresholds like the others");
            }
            for (int j = 0; j < t[n].length; j++) {
                if (t[n][j] < -bound || t[n][j] > bound + 1) {
                    throw new IllegalArgumentException(name + ": neuron " + n + " threshold " + (j + 1) + " = " + t[n][j]
                            + " is outside -" + bound + ".." + (bound + 1) + " (the accumulator's range, plus one for never)");
                }
                if (j > 0 && t[n][j] < t[n][j - 1]) {
                    throw new IllegalArgumentException(name + ": neuron " + n + " thresholds decrease at " + (j + 1));
                }
            }
            copy[n] = t[n].clone();
        }
        return copy;
    }

    /** Whether this layer requantizes by explicit thresholds rather than by multiply-add and shift. */
    public boolean hasThresholds() {
        return thresholds != null;
    }

    /** Neuron n's explicit thresholds (a copy); only for a layer that {@link #hasThresholds}. */
    public long[] thresholds(int neuron) {
        return thresholds[neuron].clone();
    }

    @Override
    public long[][] thresholds() {
        if (thresholds == null) {
            return null;
        }
        long[][] copy = new long[thresholds.length][];
        for (int n = 0; n < copy.length; n++) {
            copy[n] = thresholds[n].clone();
        }
        return copy;
    }

    public int inputs() {
        return weights.cols();
    }

    @Override
    public String kind() {
        return "dense";
    }

    /** The input map, whatever its shape, is one vector (HWC order); the output is a vector. */
    @Override
    public FeatureMap output(FeatureMap input) {
        if (input.size() != inputs()) {
            throw new IllegalArgumentException(name + " takes " + inputs() + " inputs but is given " + input.size()
                    + (input.isVector() ? "" : " (a " + input + " map)"));
        }
        return FeatureMap.vector(outputs());
    }

    public int outputs() {
        return weights.rows();
    }

    @Override
    public long[] mul() {
        return mul.clone();
    }

    @Override
    public long[] add() {
        return add.clone();
    }

    public long mul(int neuron) {
        return mul[neuron];
    }

    public long add(int neuron) {
        return add[neuron];
    }

    /** The largest input value, 2^inputBits - 1. */
    public long maxInput() {
        return (1L << inputBits) - 1;
    }

    public DenseLayer withWeights(BitMatrix w) {
        return new DenseLayer(name, w, inputBits, mul, add, shift, thresholds);
    }

    public DenseLayer withMulAdd(long[] newMul, long[] newAdd) {
        return new DenseLayer(name, weights, inputBits, newMul, newAdd, shift);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseLayer l && l.name.equals(name) && l.weights.equals(weights)
                && l.inputBits == inputBits && Arrays.equals(l.mul, mul) && Arrays.equals(l.add, add)
                && l.shift == shift && Arrays.deepEquals(l.thresholds, thresholds);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + weights.hashCode()) * 31 + Arrays.hashCode(mul) + 7 * Arrays.hashCode(add);
    }

    @Override
    public String toString() {
        return "DenseLayer[" + name + " " + inputs() + "->" + outputs() + ", in " + inputBits + " bits, "
                + (thresholds == null ? "shift " + shift : "thresholds") + "]";
    }
}
