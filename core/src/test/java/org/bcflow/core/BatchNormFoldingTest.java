package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchNormFoldingTest {
    /** Float reference: round(clip(a * acc / inScale + c, 0, 1) * Q). */
    private static long floatHidden(double a, double c, double inScale, int bits, long acc) {
        double q = (1L << bits) - 1;
        double y = Math.min(1, Math.max(0, a * acc / inScale + c));
        return Math.round(y * q);
    }

    @Test
    void hiddenFoldingMatchesTheFloatComputation() {
        SplittableRandom rnd = new SplittableRandom(1);
        int n = 64;
        double[] a = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            // a = gamma / sqrt(var + eps), including negative and zero gamma
            a[i] = i % 7 == 0 ? 0 : (i % 3 == 0 ? -1 : 1) * (0.01 + rnd.nextDouble() * 0.2);
            c[i] = rnd.nextDouble() * 2 - 0.5;
        }
        for (int bits : new int[] {1, 2, 4, 8}) {
            BatchNormFolding.Folded f = BatchNormFolding.hidden(a, c, 255, bits);
            long q = (1L << bits) - 1;
            int exact = 0;
            int total = 0;
            for (int i = 0; i < n; i++) {
                for (long acc = -2000; acc <= 2000; acc += 7) {
                    long integer = Math.min(q, Math.max(0, (acc * f.mul()[i] + f.add()[i]) >> f.shift()));
                    long expected = floatHidden(a[i], c[i], 255, bits, acc);
                    assertTrue(Math.abs(integer - expected) <= 1, "neuron " + i + " acc " + acc + ": " + integer + " vs " + expected);
                    exact += integer == expected ? 1 : 0;
                    total++;
                }
            }
            // off by one only where the float value sits within rounding error of a .5 boundary
            assertTrue(exact >= total * 0.995, bits + " bits: only " + exact + " of " + total + " exact");
        }
    }

    @Test
    void negativeGammaInvertsTheResponse() {
        BatchNormFolding.Folded f = BatchNormFolding.hidden(new double[] {-0.5}, new double[] {0.5}, 1, 4);
        long low = Math.min(15, Math.max(0, (0 * f.mul()[0] + f.add()[0]) >> f.shift()));
        long high = Math.min(15, Math.max(0, (1 * f.mul()[0] + f.add()[0]) >> f.shift()));
        assertEquals(8, low);  // round(0.5 * 15) = 8 (7.5 rounds up)
        assertEquals(0, high); // -0.5 + 0.5 = 0
        assertTrue(f.mul()[0] < 0);
    }

    @Test
    void outputScoresKeepTheFloatOrder() {
        double[] a = {0.02, -0.03, 0.015};
        double[] c = {0.1, 0.4, -0.2};
        BatchNormFolding.Folded f = BatchNormFolding.output(a, c, 15);
        assertEquals(0, f.shift());
        for (long acc = -500; acc <= 500; acc += 3) {
            long[] scores = new long[3];
            double[] y = new double[3];
            for (int i = 0; i < 3; i++) {
                scores[i] = acc * f.mul()[i] + f.add()[i];
                y[i] = a[i] * acc / 15 + c[i];
            }
            int best = 0;
            for (int i = 1; i < 3; i++) {
                if (y[i] > y[best] + 1e-3) {
                    best = i;
                } else if (Math.abs(y[i] - y[best]) <= 1e-3) {
                    best = -1;
                    break;
                }
            }
            if (best >= 0) {
                assertEquals(best, Reference.argmax(scores), "acc " + acc);
            }
        }
    }
}
