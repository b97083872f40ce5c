package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class RomPackingTest {
    private static final Network NET = RandomNetwork.create(3, new int[] {12, 6, 4}, new int[] {8, 3});

    @Test
    void weightWordsRoundTripForEveryLegalFolding() {
        DenseLayer l = NET.layer(0);
        for (int pe = 1; pe <= l.outputs(); pe++) {
            for (int simd = 1; simd <= l.inputs(); simd++) {
                if (l.outputs() % pe != 0 || l.inputs() % simd != 0) {
                    continue;
                }
                BigInteger[] words = RomPacking.weightWords(l, pe, simd);
                assertEquals(l.outputs() * l.inputs() / (pe * simd), words.length);
                assertEquals(l.weights(), RomPacking.unpackWeights(words, l.outputs(), l.inputs(), pe, simd));
            }
        }
    }

    @Test
    void layoutIsTheDocumentedOne() {
        // neuron 3, input 5 with PE=2, SIMD=4: nf = 1, p = 1, sf = 1, s = 1 -> word 1*3+1, bit 1*4+1
        BitMatrix w = new BitMatrix.Builder(6, 12).set(3, 5, true).build();
        DenseLayer l = new DenseLayer("d", w, 8, new long[6], new long[6], 0);
        BigInteger[] words = RomPacking.weightWords(l, 2, 4);
        for (int i = 0; i < words.length; i++) {
            assertEquals(i == 4 ? BigInteger.ONE.shiftLeft(5) : BigInteger.ZERO, words[i], "word " + i);
        }
    }

    @Test
    void constantsAreTwosComplementLanes() {
        BigInteger[] words = RomPacking.constantWords(new long[] {-1, 2, 3, -4}, 2, 4);
        assertEquals(List.of(BigInteger.valueOf(0x2f), BigInteger.valueOf(0xc3)), List.of(words));
        assertThrows(IllegalArgumentException.class, () -> RomPacking.constantWords(new long[] {8}, 1, 4));
    }

    @Test
    void foldingThatDoesNotDivideIsAClearError() {
        BcflowException e = assertThrows(BcflowException.class, () -> RomPacking.checkFolding(NET.layer(0), 4, 1));
        assertEquals("dense0: PE=4 does not divide its 6 outputs (legal: 1, 2, 3, 6)", e.getMessage());
        e = assertThrows(BcflowException.class, () -> RomPacking.checkFolding(NET.layer(0), 1, 5));
        assertTrue(e.getMessage().contains("SIMD=5 does not divide its 12 inputs"));
    }

    @Test
    void rowHexRoundTrips() {
        BitMatrix w = NET.layer(1).weights();
        List<String> rows = java.util.stream.IntStream.range(0, w.rows()).mapToObj(w::rowHex).toList();
        assertEquals(w, BitMatrix.fromRowHex(w.rows(), w.cols(), rows));
        assertEquals("001", new BitMatrix.Builder(1, 12).set(0, 0, true).build().rowHex(0));
        assertEquals("800", new BitMatrix.Builder(1, 12).set(0, 11, true).build().rowHex(0));
    }

    @Test
    void signOfZeroIsPlusOne() {
        BitMatrix w = BitMatrix.fromSigns(1, 3, new float[] {0f, -0.0f, -1e-9f});
        assertEquals(1, w.sign(0, 0));
        assertEquals(-1, w.sign(0, 2));
    }

    // ---- the packing into longs against the straightforward BigInteger packing it replaced ----

    private static BigInteger[] bigIntegerWeightWords(DenseLayer layer, int pe, int simd) {
        int nfCount = layer.outputs() / pe;
        int sfCount = layer.inputs() / simd;
        BigInteger[] words = new BigInteger[nfCount * sfCount];
        for (int nf = 0; nf < nfCount; nf++) {
            for (int sf = 0; sf < sfCount; sf++) {
                BigInteger w = BigInteger.ZERO;
                for (int p = 0; p < pe; p++) {
                    for (int s = 0; s < simd; s++) {
                        if (layer.weights().isPlus(nf * pe + p, sf * simd + s)) {
                            w = w.setBit(p * simd + s);
                        }
                    }
                }
                words[nf * sfCount + sf] = w;
            }
        }
        return words;
    }

    private static BigInteger[] bigIntegerConstantWords(long[] perNeuron, int pe, int width) {
        BigInteger[] words = new BigInteger[perNeuron.length / pe];
        BigInteger mask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
        for (int nf = 0; nf < words.length; nf++) {
            BigInteger w = BigInteger.ZERO;
            for (int p = 0; p < pe; p++) {
                w = w.or(BigInteger.valueOf(perNeuron[nf * pe + p]).and(mask).shiftLeft(p * width));
            }
            words[nf] = w;
        }
        return words;
    }

    private static BigInteger[] bigIntegerThresholdWords(Thresholds.Neuron[] neurons, int pe, int bits) {
        int t = neurons[0].t().length;
        int tw = 1 + t * bits;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        BigInteger[] words = new BigInteger[neurons.length / pe];
        for (int nf = 0; nf < words.length; nf++) {
            BigInteger w = BigInteger.ZERO;
            for (int p = 0; p < pe; p++) {
                Thresholds.Neuron n = neurons[nf * pe + p];
                BigInteger lane = n.negate() ? BigInteger.ONE : BigInteger.ZERO;
                for (int j = 0; j < t; j++) {
                    lane = lane.or(BigInteger.valueOf(n.t()[j]).and(mask).shiftLeft(1 + j * bits));
                }
                w = w.or(lane.shiftLeft(p * tw));
            }
            words[nf] = w;
        }
        return words;
    }

    @Test
    void packingIntoLongsEqualsTheBigIntegerPacking() {
        // PE x SIMD words of 1, 63, 64, 65 and 1000 bits, cut every way across the 64-bit boundaries
        int[][] foldings = {{1, 1}, {1, 63}, {63, 1}, {7, 9}, {1, 64}, {64, 1}, {8, 8}, {4, 16}, {1, 65}, {65, 1},
                {5, 13}, {1, 1000}, {1000, 1}, {8, 125}, {40, 25}, {10, 100}};
        long seed = 11;
        for (int[] f : foldings) {
            int pe = f[0];
            int simd = f[1];
            Network net = RandomNetwork.create(seed++, new int[] {simd * 3, pe * 2, 5}, new int[] {8, 3});
            DenseLayer l = net.layer(0);
            String what = "PE=" + pe + " SIMD=" + simd;
            Assertions.assertArrayEquals(bigIntegerWeightWords(l, pe, simd), RomPacking.weightWords(l, pe, simd), what);
            Widths w = net.widths(0);
            Assertions.assertArrayEquals(bigIntegerConstantWords(l.mul(), pe, w.mul()), RomPacking.constantWords(l.mul(), pe, w.mul()), what);
            Assertions.assertArrayEquals(bigIntegerConstantWords(l.add(), pe, w.add()), RomPacking.constantWords(l.add(), pe, w.add()), what);
            Thresholds.Neuron[] th = Thresholds.of(l, 3);
            int bits = Thresholds.bits(l);
            Assertions.assertArrayEquals(bigIntegerThresholdWords(th, pe, bits), RomPacking.thresholdWords(th, pe, bits), what);
            assertEquals(l.weights(), RomPacking.unpackWeights(RomPacking.weightWords(l, pe, simd), l.outputs(), l.inputs(), pe, simd));
        }
        // constants wider than a long: the sign repeats above bit 63
        long[] values = {-5, 7, Long.MIN_VALUE, Long.MAX_VALUE};
        Assertions.assertArrayEquals(bigIntegerConstantWords(values, 2, 70), RomPacking.constantWords(values, 2, 70));
        Assertions.assertArrayEquals(bigIntegerConstantWords(values, 4, 130), RomPacking.constantWords(values, 4, 130));
    }

    @Test
    void packingTimeGrowsWithTheBitsNotTheirSquare() {
        // one word of two million bits; packing it bit by bit into a BigInteger copies the word per bit
        DenseLayer l = RandomNetwork.create(5, new int[] {1000, 2000}, new int[] {8}).layer(0);
        BigInteger[] words = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> RomPacking.weightWords(l, 2000, 1000));
        assertEquals(1, words.length);
        assertEquals(l.weights(), RomPacking.unpackWeights(words, 2000, 1000, 2000, 1000));
    }
}
