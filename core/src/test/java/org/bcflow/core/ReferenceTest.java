package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReferenceTest {
    @Test
    void smallNetworkByHand() {
        // layer 0: 3 inputs -> 2 neurons; weights row0 = (+1, -1, +1), row1 = (-1, -1, -1)
        BitMatrix w0 = new BitMatrix.Builder(2, 3).set(0, 0, true).set(0, 2, true).build();
        // y = (acc * mul + add) >> 2, clamped to 0..3 (next layer takes 2-bit inputs)
        DenseLayer l0 = new DenseLayer("a", w0, 8, new long[] {1, -1}, new long[] {2, 0}, 2);
        BitMatrix w1 = new BitMatrix.Builder(3, 2).set(0, 0, true).set(1, 1, true).set(2, 0, true).set(2, 1, true).build();
        DenseLayer l1 = new DenseLayer("b", w1, 2, new long[] {1, 1, -1}, new long[] {0, 0, 0}, 0);
        Network net = new Network(List.of(l0, l1), Map.of());
        Reference.Trace t = new Reference(net).run(new int[] {10, 3, 1});
        assertArrayEquals(new long[] {8, -14}, t.accumulators()[0]);
        // (8 + 2) >> 2 = 2; (14 + 0) >> 2 = 3
        assertArrayEquals(new long[] {2, 3}, t.outputs()[0]);
        // acc1 = (2 - 3, -2 + 3, 2 + 3) = (-1, 1, 5); scores = (-1, 1, -5)
        assertArrayEquals(new long[] {-1, 1, -5}, t.scores());
        assertEquals(1, t.predictedClass());
    }

    @Test
    void shiftFloorsAndClampSaturates() {
        BitMatrix w = new BitMatrix.Builder(3, 1).set(0, 0, true).set(1, 0, true).set(2, 0, true).build();
        // acc = x; y = (x * mul + add) >> 1, clamped to 0..3
        DenseLayer l0 = new DenseLayer("a", w, 8, new long[] {1, -1, 1}, new long[] {0, 0, 100}, 1);
        DenseLayer l1 = new DenseLayer("b", new BitMatrix.Builder(1, 3).build(), 2, new long[] {1}, new long[] {0}, 0);
        Reference ref = new Reference(new Network(List.of(l0, l1), Map.of()));
        Reference.Trace t = ref.run(new int[] {5});
        assertArrayEquals(new long[] {2, 0, 3}, t.outputs()[0]); // 5>>1=2, -5>>1=-3 -> 0, 105>>1 -> 3
    }

    @Test
    void tiesGoToTheLowestIndex() {
        assertEquals(1, Reference.argmax(new long[] {-3, 7, 7, 2}));
        assertEquals(0, Reference.argmax(new long[] {0, 0}));
    }

    /** A second, plain implementation: +-1 weights as numbers, BigInteger arithmetic, no shortcuts. */
    @Test
    void agreesWithAPlainBigIntegerImplementation() {
        Network net = RandomNetwork.create(11, new int[] {50, 20, 13, 7}, new int[] {8, 3, 5});
        Reference ref = new Reference(net);
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 50; trial++) {
            int[] x = new int[50];
            for (int i = 0; i < x.length; i++) {
                x[i] = trial == 0 ? 255 : trial == 1 ? 0 : rnd.nextInt(256);
            }
            java.math.BigInteger[] v = new java.math.BigInteger[x.length];
            for (int i = 0; i < x.length; i++) {
                v[i] = java.math.BigInteger.valueOf(x[i]);
            }
            for (int li = 0; li < net.layers().size(); li++) {
                DenseLayer l = net.layer(li);
                java.math.BigInteger[] y = new java.math.BigInteger[l.outputs()];
                for (int r = 0; r < l.outputs(); r++) {
                    java.math.BigInteger acc = java.math.BigInteger.ZERO;
                    for (int c = 0; c < l.inputs(); c++) {
                        acc = acc.add(v[c].multiply(java.math.BigInteger.valueOf(l.weights().sign(r, c))));
                    }
                    java.math.BigInteger s = acc.multiply(java.math.BigInteger.valueOf(l.mul(r)))
                            .add(java.math.BigInteger.valueOf(l.add(r))).shiftRight(l.shift());
                    if (!net.isLast(li)) {
                        java.math.BigInteger max = java.math.BigInteger.valueOf(net.layer(li + 1).maxInput());
                        s = s.max(java.math.BigInteger.ZERO).min(max);
                    }
                    y[r] = s;
                }
                v = y;
            }
            long[] expected = java.util.Arrays.stream(v).mapToLong(java.math.BigInteger::longValueExact).toArray();
            assertArrayEquals(expected, ref.run(x).scores(), "trial " + trial);
        }
    }
}
