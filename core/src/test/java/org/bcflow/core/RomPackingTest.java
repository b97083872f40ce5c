package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
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
}
