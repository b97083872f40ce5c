package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hex parsing agrees with BigInteger's own for every length, and refuses what is not hex. */
class HexTest {
    @Test
    void agreesWithBigIntegerOnOddEvenAndWideWords() {
        Random rnd = new Random(5);
        for (int bits : new int[] {1, 3, 4, 5, 63, 64, 65, 1000, 112_000}) {
            BigInteger v = new BigInteger(bits, rnd);
            String hex = v.toString(16);
            assertEquals(v, Hex.parseUnsigned(hex), bits + " bits");
            assertEquals(v, Hex.parseUnsigned("000" + hex.toUpperCase()), bits + " bits, padded, upper case");
        }
        assertEquals(BigInteger.ZERO, Hex.parseUnsigned("0"));
    }

    @Test
    void refusesWhatIsNotHex() {
        assertThrows(NumberFormatException.class, () -> Hex.parseUnsigned(""));
        assertThrows(NumberFormatException.class, () -> Hex.parseUnsigned("12g4"));
        assertThrows(NumberFormatException.class, () -> Hex.parseUnsigned("-1"));
        assertThrows(NumberFormatException.class, () -> Hex.parseUnsigned(" 1"));
    }
}
