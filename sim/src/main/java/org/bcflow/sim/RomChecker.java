package org.bcflow.sim;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.EmbeddedRomReader;
import org.bcflow.rtlgen.RomImage;
import org.bcflow.rtlgen.RtlGenerator;

/**
 * Compares every ROM image of a design folder, word for word, with a fresh packing of its network
 * file: the .mem files the design loads, their .coe and .mif twins, and with {@code --embed-roms}
 * the contents in bc_rom.v. The simulation sees only the bits its test images exercise (the weight
 * of a pixel that is 0 in every image moves no output); this sees every bit.
 */
final class RomChecker {
    static final String BC_ROM = "bc_rom.v";

    private final Path rtlDir;
    private int files;
    private long words;
    private int differing;
    private final List<String> absent = new ArrayList<>();
    private final List<String> differingFiles = new ArrayList<>();
    private VerifyReport.RomDifference first;

    private RomChecker(Path rtlDir) {
        this.rtlDir = rtlDir;
    }

    /**
     * The files the design loads must be there (.mem, or bc_rom.v with embedded ROMs); their twins
     * are compared where present and listed as absent otherwise. A file that is not exactly in the
     * format its writer writes is an error naming the file and line.
     */
    static VerifyReport.RomCheck check(Path rtlDir, Design design, Network net) {
        List<RomImage> expected;
        try {
            expected = RtlGenerator.roms(net, design);
        } catch (IllegalArgumentException e) {
            // widths in an edited design.json that the network's constants do not fit
            throw new BcflowException(rtlDir.resolve(Design.FILE) + " does not describe its network: " + e.getMessage());
        }
        Map<String, RomImage> byFile = new LinkedHashMap<>();
        expected.forEach(r -> byFile.put(r.memFileName(), r));
        List<String> listed = design.layers().stream().flatMap(l -> l.romFiles().stream()).toList();
        if (!listed.equals(new ArrayList<>(byFile.keySet()))) {
            throw new BcflowException(rtlDir.resolve(Design.FILE) + " lists the ROM files " + listed + ", but the network packs "
                    + byFile.keySet());
        }
        Path bcRom = rtlDir.resolve(BC_ROM);
        boolean embedded = Files.exists(bcRom) && EmbeddedRomReader.embeds(bcRom);
        Map<String, List<BigInteger>> inVerilog = embedded ? EmbeddedRomReader.read(bcRom, expected) : Map.of();
        RomChecker c = new RomChecker(rtlDir);
        if (embedded) {
            c.files++;
        }
        for (Design.Layer layer : design.layers()) {
            for (int r = 0; r < layer.romFiles().size(); r++) {
                RomImage rom = byFile.get(layer.romFiles().get(r));
                BitName bitsOf = r == 0 ? weightBit(layer) : laneBit(layer, rom);
                int w = rom.width();
                int d = rom.depth();
                if (embedded) {
                    c.compare(BC_ROM + " (" + rom.memFileName() + ")", rom, inVerilog.get(rom.memFileName()), bitsOf);
                }
                c.compareFile(rom.memFileName(), !embedded, rom, bitsOf, f -> RomImage.readMem(f, w, d));
                c.compareFile(rom.coeFileName(), false, rom, bitsOf, f -> RomImage.readCoe(f, w, d));
                c.compareFile(rom.mifFileName(), false, rom, bitsOf, f -> RomImage.readMif(f, w, d));
            }
        }
        return new VerifyReport.RomCheck(c.files, c.words, List.copyOf(c.absent), c.differing, List.copyOf(c.differingFiles),
                c.first);
    }

    private void compareFile(String name, boolean required, RomImage rom, BitName bitsOf,
            Function<Path, List<BigInteger>> reader) {
        Path file = rtlDir.resolve(name);
        if (!required && !Files.exists(file)) {
            absent.add(name);
            return;
        }
        files++;
        compare(name, rom, reader.apply(file), bitsOf);
    }

    /** The readers have checked the shape: as many words as {@code rom}, each within its width. */
    private void compare(String file, RomImage rom, List<BigInteger> actual, BitName bitsOf) {
        words += rom.depth();
        boolean fileDiffers = false;
        List<BigInteger> expected = rom.words();
        for (int i = 0; i < rom.depth(); i++) {
            BigInteger want = expected.get(i);
            BigInteger got = actual.get(i);
            if (want.equals(got)) {
                continue;
            }
            differing++;
            fileDiffers = true;
            if (first == null) {
                BigInteger diff = want.xor(got);
                int bit = diff.getLowestSetBit();
                int more = diff.bitCount() - 1;
                first = new VerifyReport.RomDifference(file, i, hex(want, rom.width()), hex(got, rom.width()),
                        "bit " + bit + ": " + bitsOf.name(i, bit) + (more > 0 ? ", and " + more + " more bit" + (more > 1 ? "s" : "") : ""));
            }
        }
        if (fileDiffers) {
            differingFiles.add(file);
        }
    }

    /** What a bit of a ROM word holds, in the network's terms. */
    private interface BitName {
        String name(int word, int bit);
    }

    /** Weight ROM: word nf*SF + sf, bit p*SIMD + s is the weight of neuron nf*PE + p for input sf*SIMD + s. */
    private static BitName weightBit(Design.Layer l) {
        int sf = l.sf();
        return (word, bit) -> "neuron " + (word / sf * l.pe() + bit / l.simd()) + ", input " + (word % sf * l.simd() + bit % l.simd());
    }

    /** Constant and threshold ROMs: word nf, lane p (bits [p*W +: W]) belongs to neuron nf*PE + p. */
    private static BitName laneBit(Design.Layer l, RomImage rom) {
        int lane = rom.width() / l.pe();
        return (word, bit) -> "neuron " + (word * l.pe() + bit / lane);
    }

    private static String hex(BigInteger w, int width) {
        String s = w.toString(16);
        return "0".repeat(Math.max(0, (width + 3) / 4 - s.length())) + s;
    }
}
