package org.bcflow.core;

/**
 * The one range of a value's width in bits, for activations and layer inputs alike: the hardware's
 * accumulators and ROM words are sized for at most {@value #MAX} bits.
 */
public final class BitWidth {
    public static final int MIN = 1;
    public static final int MAX = 16;

    private BitWidth() {
    }

    public static boolean valid(int bits) {
        return bits >= MIN && bits <= MAX;
    }

    /** "1..16", as messages and help state the range. */
    public static String range() {
        return MIN + ".." + MAX;
    }
}
