package org.bcflow.rtlgen;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bcflow.core.BcflowException;

/**
 * Reads back the ROM contents that {@link EmbeddedRomWriter} puts into bc_rom.v with
 * {@code --embed-roms}, in exactly the form it writes them: one generate branch per ROM file
 * name, one {@code rom[A] = W'hHEX;} line per word, addresses from 0 in order.
 */
public final class EmbeddedRomReader {
    private static final Pattern BRANCH = Pattern.compile("        (?:else )?if \\(FILE == \"([^\"]+)\"\\) begin : g_rom\\d+");
    private static final Pattern WORD = Pattern.compile("                rom\\[(\\d+)\\] = (\\d+)'h([0-9a-fA-F]+);");
    private static final String LAST = "        else if (FILE != \"\") begin : g_unknown";

    private EmbeddedRomReader() {
    }

    /** Whether {@code bcRom} (a design's bc_rom.v) holds embedded contents rather than reading .mem files. */
    public static boolean embeds(Path bcRom) {
        try (var lines = Files.lines(bcRom)) {
            return lines.findFirst().orElse("").startsWith(EmbeddedRomWriter.HEADER);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BcflowException("cannot read " + bcRom + ": " + e.getMessage());
        }
    }

    /**
     * The words of every ROM in {@code bcRom}, by .mem file name. {@code shapes} says which ROMs
     * must be there and their width and depth (only those of its images are used): a ROM missing,
     * one more, a word missing or extra, out of order, of another width or not hex is an error
     * naming the file and line.
     */
    public static Map<String, List<BigInteger>> read(Path bcRom, List<RomImage> shapes) {
        List<String> lines;
        try {
            lines = Files.readAllLines(bcRom);
        } catch (IOException e) {
            throw new BcflowException("cannot read " + bcRom + ": " + e.getMessage());
        }
        Map<String, RomImage> byFile = new LinkedHashMap<>();
        shapes.forEach(r -> byFile.put(r.memFileName(), r));
        Map<String, List<BigInteger>> out = new LinkedHashMap<>();
        RomImage rom = null;  // the ROM whose branch is being read
        List<BigInteger> words = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher branch = BRANCH.matcher(line);
            Matcher word = WORD.matcher(line);
            boolean last = line.equals(LAST);
            if (branch.matches() || last) {
                if (rom != null && words.size() != rom.depth()) {
                    throw error(bcRom, i + 1, rom.memFileName() + " ends after " + words.size() + " of " + rom.depth() + " words");
                }
                rom = null;
                if (last) {
                    break;
                }
                String file = branch.group(1);
                rom = byFile.get(file);
                if (rom == null || out.containsKey(file)) {
                    throw error(bcRom, i + 1, rom == null ? "contents for " + file + ", which the network has no ROM of"
                            : "a second branch for " + file);
                }
                words = new ArrayList<>();
                out.put(file, words);
            } else if (word.matches()) {
                if (rom == null) {
                    throw error(bcRom, i + 1, "a ROM word outside any ROM's branch");
                }
                int address = Integer.parseInt(word.group(1));
                if (address != words.size() || address >= rom.depth()) {
                    throw error(bcRom, i + 1, rom.memFileName() + ": word " + address + " where word " + words.size()
                            + " of " + rom.depth() + " belongs");
                }
                if (Integer.parseInt(word.group(2)) != rom.width()) {
                    throw error(bcRom, i + 1, rom.memFileName() + ": a " + word.group(2) + "-bit word in a ROM of "
                            + rom.width() + " bits");
                }
                BigInteger w = org.bcflow.core.Hex.parseUnsigned(word.group(3));
                if (w.bitLength() > rom.width()) {
                    throw error(bcRom, i + 1, rom.memFileName() + ": word " + address + " does not fit " + rom.width() + " bits");
                }
                words.add(w);
            } else if (line.strip().startsWith("rom[")) {
                throw error(bcRom, i + 1, "not a ROM word: '" + line.strip() + "'");
            }
        }
        if (rom != null) {
            throw error(bcRom, lines.size(), "the file ends inside the branch of " + rom.memFileName());
        }
        for (String file : byFile.keySet()) {
            if (!out.containsKey(file)) {
                throw new BcflowException(bcRom + ": no embedded contents for " + file);
            }
        }
        return out;
    }

    private static BcflowException error(Path file, int line, String message) {
        return new BcflowException(file + " line " + line + ": " + message);
    }
}
