package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The class rule (lowest index wins a tie) is the same for every kind of score, and divisors are complete. */
class ArgmaxTest {
    @Test
    void theLowestIndexWinsATieForEveryKindOfScore() {
        assertEquals(1, Argmax.of(new long[] {3, 7, 7, -1}));
        assertEquals(1, Argmax.of(new double[] {3, 7, 7, -1}));
        assertEquals(1, Argmax.of(new float[] {9, 3, 7, 7, -1}, 1, 4));
        assertEquals(0, Argmax.of(new long[] {Long.MIN_VALUE, Long.MIN_VALUE}));
        assertEquals(0, Argmax.of(new long[] {5}));
    }

    @Test
    void divisorsAreEveryLegalLaneCount() {
        assertArrayEquals(new int[] {1}, Divisors.of(1));
        assertArrayEquals(new int[] {1, 2, 4, 7, 8, 14, 16, 28, 49, 56, 98, 112, 196, 392, 784}, Divisors.of(784));
        assertArrayEquals(new int[] {1, 13}, Divisors.of(13));
    }
}
