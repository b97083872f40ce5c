package org.bcflow.core;

/**
 * Bit widths of one layer's datapath, derived from worst-case bounds so that nothing in the
 * hardware can overflow. The reference uses the same bounds to check its own arithmetic.
 *
 * @param acc  signed accumulator: |acc| <= inputs * (2^inputBits - 1)
 * @param mul  signed multiplier constant
 * @param add  signed offset constant
 * @param sum  signed acc * mul + add
 * @param out  output: unsigned activation bits for a hidden layer, signed score bits for the last
 */
public record Widths(int acc, int mul, int add, int sum, int out) {

    /** Bits of a two's complement number that holds v. */
    public static int signedBits(long v) {
        return v >= 0 ? 65 - Long.numberOfLeadingZeros(v) : 65 - Long.numberOfLeadingZeros(~v);
    }

    /** Bits of a two's complement number that holds every value in [-maxAbs, maxAbs]. */
    public static int signedBitsForMagnitude(long maxAbs) {
        return Math.max(signedBits(maxAbs), signedBits(-maxAbs));
    }

    /** Bits of an unsigned number that holds v >= 0 (at least 1). */
    public static int unsignedBits(long v) {
        return Math.max(1, 64 - Long.numberOfLeadingZeros(v));
    }

    static Widths of(DenseLayer layer, int nextInputBits) {
        long maxAcc = Math.multiplyExact((long) layer.inputs(), layer.maxInput());
        long maxMul = 0;
        long maxAdd = 0;
        for (int n = 0; n < layer.outputs(); n++) {
            maxMul = Math.max(maxMul, Math.abs(layer.mul(n)));
            maxAdd = Math.max(maxAdd, Math.abs(layer.add(n)));
        }
        long maxSum;
        try {
            maxSum = Math.addExact(Math.multiplyExact(maxAcc, maxMul), maxAdd);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(layer.name() + ": acc * mul + add overflows 64 bits");
        }
        int sumBits = signedBitsForMagnitude(maxSum);
        if (sumBits > 63) {
            throw new IllegalArgumentException(layer.name() + ": acc * mul + add needs " + sumBits + " bits (max 63)");
        }
        int out = nextInputBits > 0
                ? nextInputBits
                : Math.max(signedBits(maxSum >> layer.shift()), signedBits(-maxSum >> layer.shift()));
        return new Widths(signedBitsForMagnitude(maxAcc), Math.max(2, signedBitsForMagnitude(maxMul)),
                Math.max(2, signedBitsForMagnitude(maxAdd)), sumBits, out);
    }
}
