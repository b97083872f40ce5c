package org.bcflow.rtlgen;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.bcflow.core.AtomicFiles;

/**
 * The contents of one ROM, and its three file formats: {@code $readmemh} (.mem),
 * Xilinx coefficient (.coe) and Intel memory initialization (.mif). All three hold the same
 * words, address 0 first, in hexadecimal.
 *
 * @param name  file base name, e.g. {@code dense0_weights}
 * @param width bits per word
 * @param words the words, each in [0, 2^width)
 * @param about one line saying what the ROM holds, written as a comment where the format allows
 */
public record RomImage(String name, int width, List<BigInteger> words, String about) {

    public RomImage {
        words = List.copyOf(words);
        for (BigInteger w : words) {
            if (w.signum() < 0 || w.bitLength() > width) {
                throw new IllegalArgumentException(name + ": word " + w.toString(16) + " does not fit " + width + " bits");
            }
        }
    }

    public int depth() {
        return words.size();
    }

    public String memFileName() {
        return name + ".mem";
    }

    private String hex(BigInteger w) {
        String s = w.toString(16);
        int digits = (width + 3) / 4;
        return "0".repeat(digits - s.length()) + s;
    }

    public String mem() {
        StringBuilder sb = new StringBuilder();
        sb.append("// ").append(about).append(": ").append(depth()).append(" words x ").append(width).append(" bits\n");
        for (BigInteger w : words) {
            sb.append(hex(w)).append('\n');
        }
        return sb.toString();
    }

    public String coe() {
        StringBuilder sb = new StringBuilder();
        sb.append("; ").append(about).append(": ").append(depth()).append(" words x ").append(width).append(" bits\n");
        sb.append("memory_initialization_radix=16;\nmemory_initialization_vector=\n");
        for (int i = 0; i < words.size(); i++) {
            sb.append(hex(words.get(i))).append(i + 1 < words.size() ? ",\n" : ";\n");
        }
        return sb.toString();
    }

    public String mif() {
        StringBuilder sb = new StringBuilder();
        sb.append("-- ").append(about).append('\n');
        sb.append("WIDTH=").append(width).append(";\nDEPTH=").append(depth()).append(";\n");
        sb.append("ADDRESS_RADIX=UNS;\nDATA_RADIX=HEX;\nCONTENT BEGIN\n");
        for (int i = 0; i < words.size(); i++) {
            sb.append("    ").append(i).append(" : ").append(hex(words.get(i)).toUpperCase()).append(";\n");
        }
        sb.append("END;\n");
        return sb.toString();
    }

    /** Writes name.mem, name.coe and name.mif into the folder. */
    public void writeAll(Path folder) {
        AtomicFiles.writeString(folder.resolve(name + ".mem"), mem());
        AtomicFiles.writeString(folder.resolve(name + ".coe"), coe());
        AtomicFiles.writeString(folder.resolve(name + ".mif"), mif());
    }

    /** Reads a .mem file written by {@link #mem()} (comments and blank lines skipped). */
    public static List<BigInteger> readMem(Path file) {
        try {
            return java.nio.file.Files.readAllLines(file).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("//"))
                    .map(l -> new BigInteger(l, 16))
                    .toList();
        } catch (java.io.IOException e) {
            throw org.bcflow.core.FileErrors.failure("cannot read", file, e);
        } catch (NumberFormatException e) {
            throw new org.bcflow.core.BcflowException(file + ": not a hex ROM file");
        }
    }
}
