package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
    /** Every accumulator value of every neuron: the comparisons give what mul/add/shift/clamp give. */
    @Test
    void thresholdsEqualTheMultiplyAddShiftClampExactly() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int bits = 1; bits <= Thresholds.MAX_BITS; bits++) {
            int inputs = 20;
            int outputs = 40;
            long[] mul = new long[outputs];
            long[] add = new long[outputs];
            for (int n = 0; n < outputs; n++) {
                // positive, negative and zero multipliers; offsets that put the steps inside and outside the range
                mul[n] = n % 10 == 0 ? 0 : rnd.nextLong(-3000, 3000);
                add[n] = rnd.nextLong(-(1L << 22), 1L << 22);
            }
            BitMatrix.Builder w = new BitMatrix.Builder(outputs, inputs);
            DenseLayer layer = new DenseLayer("d", w.build(), 8, mul, add, 12);
            Thresholds.Neuron[] th = Thresholds.of(layer, bits);
            long bound = inputs * 255L;
            long max = (1L << bits) - 1;
            for (int n = 0; n < outputs; n++) {
                for (int j = 1; j < th[n].t().length; j++) {
                    assertTrue(th[n].t()[j - 1] <= th[n].t()[j], "thresholds must not decrease");
                }
                for (long acc = -bound; acc <= bound; acc++) {
                    long expected = Math.min(max, Math.max(0, (acc * mul[n] + add[n]) >> 12));
                    assertEquals(expected, th[n].apply(acc), "neuron " + n + " acc " + acc + " bits " + bits);
                }
                for (long t : th[n].t()) {
                    assertTrue(t >= -bound && t <= bound + 1);
                    assertTrue(Widths.signedBits(t) <= Thresholds.bits(layer));
                }
            }
        }
    }
}
