package org.bcflow.core;

import java.util.Arrays;

/**
 * Comparators on the raw input values, before the first weight layer: each raw value {@code x}
 * (an unsigned {@code rawBits}-bit integer, e.g. an 8-bit pixel) becomes the code
 * {@code #{ j : x >= thresholds[j] }}, the first layer's input. Models trained with a quantized
 * input (Brevitas's TFC: pixel >= 128 gives +1) need it as a stage of the network and of the
 * hardware, since the first layer's weights apply to the quantized value, not to the pixel.
 *
 * <p>There are exactly {@code 2^codeBits - 1} thresholds, {@code codeBits} being the first
 * layer's input width, nondecreasing, each in {@code 0 .. 2^rawBits} (0: always passed,
 * {@code 2^rawBits}: never). One set serves every input value.
 */
public record InputQuantizer(int rawBits, long[] thresholds) {

    public InputQuantizer {
        if (!BitWidth.valid(rawBits)) {
            throw new IllegalArgumentException("input quantizer: raw bits must be " + BitWidth.range() + ", got " + rawBits);
        }
        if (thresholds.length == 0) {
            throw new IllegalArgumentException("input quantizer: no thresholds");
        }
        long never = 1L << rawBits;
        for (int j = 0; j < thresholds.length; j++) {
            if (thresholds[j] < 0 || thresholds[j] > never) {
                throw new IllegalArgumentException("input quantizer: threshold " + (j + 1) + " = " + thresholds[j]
                        + " is outside 0.." + never);
            }
            if (j > 0 && thresholds[j] < thresholds[j - 1]) {
                throw new IllegalArgumentException("input quantizer: thresholds decrease at " + (j + 1));
            }
        }
        thresholds = thresholds.clone();
    }

    @Override
    public long[] thresholds() {
        return thresholds.clone();
    }

    /** The largest raw value, 2^rawBits - 1. */
    public long maxRaw() {
        return (1L << rawBits) - 1;
    }

    /** The code of one raw value. */
    public long code(long raw) {
        long code = 0;
        for (long t : thresholds) {
            code += raw >= t ? 1 : 0;
        }
        return code;
    }

    /** Bits of the codes: the first weight layer's input width. */
    public int codeBits() {
        return Integer.numberOfTrailingZeros(thresholds.length + 1);
    }

    /** Whether the count of thresholds is 2^b - 1 for some b, as a code width needs. */
    boolean countIsCodeRange() {
        int n = thresholds.length + 1;
        return (n & (n - 1)) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputQuantizer q && q.rawBits == rawBits && Arrays.equals(q.thresholds, thresholds);
    }

    @Override
    public int hashCode() {
        return rawBits * 31 + Arrays.hashCode(thresholds);
    }

    @Override
    public String toString() {
        return "InputQuantizer[" + rawBits + " bits, thresholds " + Arrays.toString(thresholds) + "]";
    }
}
