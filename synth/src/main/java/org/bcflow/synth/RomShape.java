package org.bcflow.synth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.BcflowException;

/**
 * A ROM as Yosys sees it after {@code opt_mem}: its depth, and the data bits that are not the same
 * in every word (Yosys drops constant bit lanes before choosing block RAMs).
 *
 * @param name          the ROM file name
 * @param depth         words
 * @param width         declared bits per word
 * @param varyingBits   bit lanes that differ between words
 * @param words         the words themselves
 */
record RomShape(String name, int depth, int width, int varyingBits, List<BigInteger> words) {

    static RomShape read(Path file, int width) {
        List<BigInteger> words = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("//")) {
                    continue;
                }
                words.add(org.bcflow.core.Hex.parseUnsigned(s));
            }
        } catch (NoSuchFileException e) {
            throw new BcflowException("ROM file " + file + " is missing: regenerate the folder with bcflow rtl");
        } catch (IOException | NumberFormatException e) {
            throw new BcflowException("ROM file " + file + " is unreadable: " + e.getMessage());
        }
        if (words.isEmpty()) {
            throw new BcflowException("ROM file " + file + " holds no words");
        }
        return of(file.getFileName().toString(), width, words);
    }

    static RomShape of(String name, int width, List<BigInteger> words) {
        int varying = 0;
        for (int b = 0; b < width; b++) {
            boolean first = words.get(0).testBit(b);
            for (BigInteger w : words) {
                if (w.testBit(b) != first) {
                    varying++;
                    break;
                }
            }
        }
        return new RomShape(name, words.size(), width, varying, words);
    }

    /** A ROM of one word, or with no varying bit, is folded into constants: no memory at all. */
    boolean constant() {
        return depth < 2 || varyingBits == 0;
    }

    /** SB_RAM40_4K blocks of the varying bits, in the cheapest aspect ratio (0 for a constant ROM). */
    int ice40Blocks() {
        return constant() ? 0 : org.bcflow.rtlgen.BlockRam.ice40Blocks(depth, varyingBits);
    }

    /** Bit b of word i. */
    boolean bit(int word, int b) {
        return words.get(word).testBit(b);
    }
}
