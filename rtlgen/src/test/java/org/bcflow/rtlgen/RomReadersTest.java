package org.bcflow.rtlgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strict readers of the ROM file formats read back exactly what the writers wrote, and nothing else. */
class RomReadersTest {
    @TempDir
    Path tmp;

    private static RomImage random(String name, int width, int depth, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<BigInteger> words = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            words.add(new BigInteger(width, new java.util.Random(rnd.nextLong())));
        }
        return new RomImage(name, org.bcflow.core.RomWords.of(width, words), "test ROM");
    }

    private RomImage written(int width, int depth) {
        RomImage rom = random("r" + width, width, depth, width);
        rom.writeAll(tmp);
        return rom;
    }

    @Test
    void everyFormatReadsBackWhatWasWritten() {
        for (int width : new int[] {1, 5, 13, 32, 64, 100}) {
            RomImage rom = written(width, 17);
            assertEquals(rom.words(), RomImage.readMem(tmp.resolve(rom.memFileName()), width, 17));
            assertEquals(rom.words(), RomImage.readCoe(tmp.resolve(rom.coeFileName()), width, 17));
            assertEquals(rom.words(), RomImage.readMif(tmp.resolve(rom.mifFileName()), width, 17));
        }
        RomImage one = written(7, 1);
        assertEquals(one.words(), RomImage.readCoe(tmp.resolve(one.coeFileName()), 7, 1));
    }

    /** The message of the error reading {@code file}, which must name the file and {@code line}. */
    private static String error(Path file, int line, Runnable read) {
        BcflowException e = assertThrows(BcflowException.class, read::run);
        assertEquals(file + " line " + line + ": ", e.getMessage().substring(0, (file + " line " + line + ": ").length()),
                e.getMessage());
        return e.getMessage();
    }

    private static void edit(Path file, java.util.function.UnaryOperator<List<String>> change) throws IOException {
        Files.write(file, change.apply(new ArrayList<>(Files.readAllLines(file))));
    }

    @Test
    void aMemFileShortLongEmptyOrNotHexIsAnErrorNamingTheLine() throws IOException {
        RomImage rom = written(13, 16);  // comment line, words on lines 2..17
        Path mem = tmp.resolve(rom.memFileName());
        edit(mem, l -> l.subList(0, 16));
        assertEquals(mem + " line 17: the file ends after 15 of 16 words", error(mem, 17, () -> RomImage.readMem(mem, 13, 16)));

        rom.writeAll(tmp);
        edit(mem, l -> {
            l.add("0abc");
            return l;
        });
        error(mem, 18, () -> RomImage.readMem(mem, 13, 16));

        Files.writeString(mem, "");
        assertEquals(mem + " line 1: the file is empty", error(mem, 1, () -> RomImage.readMem(mem, 13, 16)));

        rom.writeAll(tmp);
        edit(mem, l -> {
            l.set(5, "0x1g");
            return l;
        });
        error(mem, 6, () -> RomImage.readMem(mem, 13, 16));

        rom.writeAll(tmp);
        edit(mem, l -> {
            l.set(3, "3fff");  // four digits, but 14 bits
            return l;
        });
        error(mem, 4, () -> RomImage.readMem(mem, 13, 16));

        rom.writeAll(tmp);
        edit(mem, l -> l.subList(1, l.size()));  // no comment line: the first word is not one
        error(mem, 1, () -> RomImage.readMem(mem, 13, 16));
    }

    @Test
    void coeAndMifFilesAreReadAsStrictly() throws IOException {
        RomImage rom = written(8, 4);
        Path coe = tmp.resolve(rom.coeFileName());
        Path mif = tmp.resolve(rom.mifFileName());
        // .coe: comment, radix, vector, words on lines 4..7, the last ending with ';'
        edit(coe, l -> {
            l.set(6, l.get(6).replace(';', ','));
            l.add("00;");
            return l;
        });
        error(coe, 7, () -> RomImage.readCoe(coe, 8, 4));
        rom.writeAll(tmp);
        edit(coe, l -> {
            l.remove(6);
            l.set(5, l.get(5).replace(',', ';'));
            return l;
        });
        error(coe, 6, () -> RomImage.readCoe(coe, 8, 4));
        rom.writeAll(tmp);
        edit(coe, l -> {
            l.set(1, "memory_initialization_radix=2;");
            return l;
        });
        error(coe, 2, () -> RomImage.readCoe(coe, 8, 4));

        // .mif: comment, WIDTH, DEPTH, two radixes, CONTENT BEGIN, words on lines 7..10, END;
        error(mif, 2, () -> RomImage.readMif(mif, 9, 4));
        error(mif, 3, () -> RomImage.readMif(mif, 8, 5));
        edit(mif, l -> {
            l.set(8, "    3 : " + l.get(8).substring(8));
            return l;
        });
        error(mif, 9, () -> RomImage.readMif(mif, 8, 4));
        rom.writeAll(tmp);
        edit(mif, l -> {
            l.remove(9);
            return l;
        });
        error(mif, 10, () -> RomImage.readMif(mif, 8, 4));
    }

    @Test
    void embeddedContentsReadBackAndAreCheckedAsStrictly() throws IOException {
        List<RomImage> roms = List.of(random("a_weights", 12, 6, 1), random("a_mul", 40, 3, 2));
        Path v = tmp.resolve("bc_rom.v");
        Files.writeString(v, EmbeddedRomWriter.write(roms, Map.of("a_weights.mem", true, "a_mul.mem", false), "test"));
        assertEquals(true, EmbeddedRomReader.embeds(v));
        Map<String, List<BigInteger>> read = EmbeddedRomReader.read(v, roms);
        assertEquals(roms.get(0).words(), read.get("a_weights.mem"));
        assertEquals(roms.get(1).words(), read.get("a_mul.mem"));

        List<String> lines = Files.readAllLines(v);
        int word = lines.indexOf(lines.stream().filter(l -> l.contains("rom[5] = 12'h")).findFirst().orElseThrow());
        List<String> shorter = new ArrayList<>(lines);
        shorter.remove(word);
        Files.write(v, shorter);
        BcflowException e = assertThrows(BcflowException.class, () -> EmbeddedRomReader.read(v, roms));
        assertEquals(true, e.getMessage().contains("a_weights.mem ends after 5 of 6 words"), e.getMessage());

        List<String> wider = new ArrayList<>(lines);
        wider.set(word, wider.get(word).replace("12'h", "13'h"));
        Files.write(v, wider);
        e = assertThrows(BcflowException.class, () -> EmbeddedRomReader.read(v, roms));
        assertEquals(true, e.getMessage().startsWith(v + " line " + (word + 1) + ": "), e.getMessage());

        Files.write(v, lines);
        e = assertThrows(BcflowException.class, () -> EmbeddedRomReader.read(v, List.of(roms.get(0))));
        assertEquals(true, e.getMessage().contains("a_mul.mem, which the network has no ROM of"), e.getMessage());
    }
}
