package org.bcflow.core;

import java.util.stream.IntStream;

/** The divisors of a layer size: the legal PE (of its outputs) and SIMD (of its inputs). */
public final class Divisors {
    private Divisors() {
    }

    /** Every d in 1..n with n % d == 0, ascending. */
    public static int[] of(int n) {
        return IntStream.rangeClosed(1, n).filter(d -> n % d == 0).toArray();
    }
}
