package org.bcflow.rtlgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bcflow.core.RomWords;
import org.junit.jupiter.api.Test;

/** The ROM files print each word from its packed bits exactly as BigInteger would in hexadecimal. */
class RomImageTest {
    private static String padded(BigInteger w, int width) {
        String s = w.toString(16);
        return "0".repeat((width + 3) / 4 - s.length()) + s;
    }

    @Test
    void hexOfWideWordsIsTheNumbersHex() {
        Random rnd = new Random(3);
        for (int width : new int[] {1, 3, 4, 5, 63, 64, 65, 127, 128, 129, 1000}) {
            List<BigInteger> words = new ArrayList<>();
            words.add(BigInteger.ZERO);
            words.add(BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE));
            words.add(BigInteger.ONE.shiftLeft(width - 1));
            for (int i = 0; i < 5; i++) {
                words.add(new BigInteger(width, rnd));
            }
            RomImage rom = new RomImage("r", RomWords.of(width, words), "test");
            assertEquals(words, rom.words());
            StringBuilder mem = new StringBuilder("// test: " + words.size() + " words x " + width + " bits\n");
            StringBuilder mif = new StringBuilder();
            for (int i = 0; i < words.size(); i++) {
                assertEquals(padded(words.get(i), width), rom.hex(i, false), "width " + width + " word " + i);
                assertEquals(words.get(i).toString(16), rom.shortHex(i), "width " + width + " word " + i);
                mem.append(padded(words.get(i), width)).append('\n');
                mif.append("    ").append(i).append(" : ").append(padded(words.get(i), width).toUpperCase()).append(";\n");
            }
            assertEquals(mem.toString(), rom.mem());
            assertEquals("-- test\nWIDTH=" + width + ";\nDEPTH=" + words.size() + ";\nADDRESS_RADIX=UNS;\nDATA_RADIX=HEX;\nCONTENT BEGIN\n"
                    + mif + "END;\n", rom.mif());
        }
    }
}
