package org.bcflow.rtlgen;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.RomWords;

/**
 * The contents of one ROM, and its three file formats: {@code $readmemh} (.mem),
 * Xilinx coefficient (.coe) and Intel memory initialization (.mif). All three hold the same
 * words, address 0 first, in hexadecimal, printed straight from the packed bits (a word may be
 * a hundred thousand bits wide).
 *
 * @param name     file base name, e.g. {@code dense0_weights}
 * @param contents the words, packed by {@link org.bcflow.core.RomPacking}
 * @param about    one line saying what the ROM holds, written as a comment where the format allows
 */
public record RomImage(String name, RomWords contents, String about) {

    public int width() {
        return contents.width();
    }

    public int depth() {
        return contents.depth();
    }

    /** The words as numbers (for readers that want them so; the files are printed without them). */
    public List<BigInteger> words() {
        return contents.toBigIntegers();
    }

    public String memFileName() {
        return name + ".mem";
    }

    /** Word i in hexadecimal, zero-padded to the width, most significant digit first. */
    String hex(int i, boolean upperCase) {
        StringBuilder sb = new StringBuilder((width() + 3) / 4);
        appendHex(sb, i, upperCase);
        return sb.toString();
    }

    /** Word i in hexadecimal without leading zeros ("0" for zero), as in a Verilog literal. */
    String shortHex(int i) {
        String h = hex(i, false);
        int first = 0;
        while (first < h.length() - 1 && h.charAt(first) == '0') {
            first++;
        }
        return h.substring(first);
    }

    private void appendHex(StringBuilder sb, int word, boolean upperCase) {
        String digits = upperCase ? "0123456789ABCDEF" : "0123456789abcdef";
        for (int d = (width() + 3) / 4 - 1; d >= 0; d--) {
            sb.append(digits.charAt(contents.nibble(word, d)));
        }
    }

    private StringBuilder builder() {
        return new StringBuilder((int) Math.min(Integer.MAX_VALUE - 64, (long) depth() * ((width() + 3) / 4 + 16) + 256));
    }

    public String mem() {
        StringBuilder sb = builder();
        sb.append("// ").append(about).append(": ").append(depth()).append(" words x ").append(width()).append(" bits\n");
        for (int i = 0; i < depth(); i++) {
            appendHex(sb, i, false);
            sb.append('\n');
        }
        return sb.toString();
    }

    public String coe() {
        StringBuilder sb = builder();
        sb.append("; ").append(about).append(": ").append(depth()).append(" words x ").append(width()).append(" bits\n");
        sb.append("memory_initialization_radix=16;\nmemory_initialization_vector=\n");
        for (int i = 0; i < depth(); i++) {
            appendHex(sb, i, false);
            sb.append(i + 1 < depth() ? ",\n" : ";\n");
        }
        return sb.toString();
    }

    public String mif() {
        StringBuilder sb = builder();
        sb.append("-- ").append(about).append('\n');
        sb.append("WIDTH=").append(width()).append(";\nDEPTH=").append(depth()).append(";\n");
        sb.append("ADDRESS_RADIX=UNS;\nDATA_RADIX=HEX;\nCONTENT BEGIN\n");
        for (int i = 0; i < depth(); i++) {
            sb.append("    ").append(i).append(" : ");
            appendHex(sb, i, true);
            sb.append(";\n");
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
