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
 */
public record DenseLayer(String name, BitMatrix weights, int inputBits, long[] mul, long[] add, int shift) implements Layer {

    /** Multipliers are kept to this many signed bits so that one DSP-sized multiplier per lane suffices. */
    public static final int MAX_MUL_BITS = 18;

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
        return new DenseLayer(name, w, inputBits, mul, add, shift);
    }

    public DenseLayer withMulAdd(long[] newMul, long[] newAdd) {
        return new DenseLayer(name, weights, inputBits, newMul, newAdd, shift);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseLayer l && l.name.equals(name) && l.weights.equals(weights)
                && l.inputBits == inputBits && Arrays.equals(l.mul, mul) && Arrays.equals(l.add, add)
                && l.shift == shift;
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + weights.hashCode()) * 31 + Arrays.hashCode(mul) + 7 * Arrays.hashCode(add);
    }

    @Override
    public String toString() {
        return "DenseLayer[" + name + " " + inputs() + "->" + outputs() + ", in " + inputBits + " bits, shift " + shift + "]";
    }
}
