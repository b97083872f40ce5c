package org.bcflow.rtlgen;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;
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

    public String coeFileName() {
        return name + ".coe";
    }

    public String mifFileName() {
        return name + ".mif";
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
        AtomicFiles.writeString(folder.resolve(memFileName()), mem());
        AtomicFiles.writeString(folder.resolve(coeFileName()), coe());
        AtomicFiles.writeString(folder.resolve(mifFileName()), mif());
    }

    /**
     * Reads a .mem file in exactly the form {@link #mem()} writes: one {@code //} comment line, then
     * {@code depth} words of {@code width} bits, one hex word per line. Anything else (a word
     * missing, one too many, an empty file, a line that is not a word) is an error naming the file
     * and line, because {@code $readmemh} would quietly load zeros or X where a word is missing.
     */
    public static List<BigInteger> readMem(Path file, int width, int depth) {
        Lines in = new Lines(file, width);
        in.expect(l -> l.startsWith("//"), "a // comment line");
        List<BigInteger> words = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            words.add(in.word(in.next(words.size(), depth), i));
        }
        in.end(depth);
        return words;
    }

    /** Reads a .coe file in exactly the form {@link #coe()} writes (see {@link #readMem} for what is an error). */
    public static List<BigInteger> readCoe(Path file, int width, int depth) {
        Lines in = new Lines(file, width);
        in.expect(l -> l.startsWith(";"), "a ; comment line");
        in.expect("memory_initialization_radix=16;");
        in.expect("memory_initialization_vector=");
        List<BigInteger> words = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            String line = in.next(words.size(), depth);
            String end = i + 1 < depth ? "," : ";";
            if (!line.endsWith(end)) {
                throw in.error("word " + i + " of " + depth + " must end with '" + end + "': '" + line + "'");
            }
            words.add(in.word(line.substring(0, line.length() - 1), i));
        }
        in.end(depth);
        return words;
    }

    /** Reads a .mif file in exactly the form {@link #mif()} writes (see {@link #readMem} for what is an error). */
    public static List<BigInteger> readMif(Path file, int width, int depth) {
        Lines in = new Lines(file, width);
        in.expect(l -> l.startsWith("--"), "a -- comment line");
        in.expect("WIDTH=" + width + ";");
        in.expect("DEPTH=" + depth + ";");
        in.expect("ADDRESS_RADIX=UNS;");
        in.expect("DATA_RADIX=HEX;");
        in.expect("CONTENT BEGIN");
        List<BigInteger> words = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            String line = in.next(words.size(), depth);
            String prefix = "    " + i + " : ";
            if (!line.startsWith(prefix) || !line.endsWith(";")) {
                throw in.error("'" + line + "' where word " + i + " belongs ('" + prefix + "HEX;')");
            }
            words.add(in.word(line.substring(prefix.length(), line.length() - 1), i));
        }
        in.expect("END;");
        in.end(depth);
        return words;
    }

    /** The lines of a ROM file being read, one after the other; errors name the file and the line. */
    private static final class Lines {
        private final Path file;
        private final List<String> lines;
        private final int width;
        private int next;  // index of the next line to read

        Lines(Path file, int width) {
            this.file = file;
            this.width = width;
            try {
                lines = Files.readAllLines(file);
            } catch (NoSuchFileException e) {
                throw new BcflowException("cannot read " + file + ": no such file");
            } catch (IOException e) {
                throw new BcflowException("cannot read " + file + ": " + e.getMessage());
            }
            if (lines.isEmpty()) {
                throw errorAt(1, "the file is empty");
            }
        }

        /** The next line, which must be word {@code index} of {@code depth}. */
        String next(int index, int depth) {
            if (next >= lines.size()) {
                throw errorAt(next + 1, "the file ends after " + index + " of " + depth + " words");
            }
            return lines.get(next++);
        }

        void expect(String literal) {
            expect(literal::equals, "'" + literal + "'");
        }

        void expect(java.util.function.Predicate<String> ok, String what) {
            if (next >= lines.size()) {
                throw errorAt(next + 1, "the file ends where " + what + " belongs");
            }
            String line = lines.get(next++);
            if (!ok.test(line)) {
                throw error("'" + line + "' where " + what + " belongs");
            }
        }

        /** Nothing may follow the last word (and the closing line of formats that have one). */
        void end(int depth) {
            if (next < lines.size()) {
                next++;
                throw error("'" + lines.get(next - 1) + "' after the end of the ROM's " + depth + " words");
            }
        }

        /** Word {@code index} from exactly (width + 3) / 4 hex digits, within {@code width} bits. */
        BigInteger word(String text, int index) {
            int digits = (width + 3) / 4;
            if (text.length() != digits || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw error("'" + text + "' is not a " + digits + "-digit hex word (word " + index + ")");
            }
            BigInteger w = org.bcflow.core.Hex.parseUnsigned(text);
            if (w.bitLength() > width) {
                throw error("word " + index + " = " + text + " does not fit " + width + " bits");
            }
            return w;
        }

        /** An error about the line read last. */
        BcflowException error(String message) {
            return errorAt(next, message);
        }

        BcflowException errorAt(int line, String message) {
            return new BcflowException(file + " line " + line + ": " + message);
        }
    }
}
