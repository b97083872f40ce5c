package org.bcflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bcflow.core.BcflowException;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ROM files must hold the network, word for word, whether or not a test image exercises every
 * bit: a weight of an input that is 0 in every image is invisible to the simulation.
 */
class RomCheckTest {
    @TempDir
    Path tmp;

    private static final Path CACHE = Verifier.defaultCache().resolve("tests");
    private final Network net = RandomNetwork.create(7, new int[] {64, 16, 8, 10}, new int[] {8, 6, 3});
    private final Folding folding = Folding.forInputRate(net, List.of(4, 2, 5), List.of(4, 4, 8), 1);

    /** Random images whose pixel 0 is 0 in every one, as MNIST's corner pixel is. */
    private static LabeledImages cornerAlwaysZero(int count) {
        LabeledImages a = VerifierTest.images(count, 8, 8, 12);
        byte[] px = a.pixels().clone();
        for (int i = 0; i < count; i++) {
            px[i * a.pixelsPerImage()] = 0;
        }
        return new LabeledImages(count, 8, 8, px, a.labels(), a.classes());
    }

    private Path generate() {
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, folding, rtl);
        return rtl;
    }

    /** Rewrites all three files of layer {@code layer}'s weight ROM from a copy with weight (neuron, input) flipped. */
    private void flipWeight(Path rtl, int layer, int neuron, int input) {
        DenseLayer l = net.layer(layer);
        Network faulty = net.withLayer(layer, l.withWeights(l.weights().withFlipped(neuron, input)));
        Design d = new RtlGenerator("bcnet", 1).plan(faulty, folding);
        RtlGenerator.roms(faulty, d).stream().filter(rom -> rom.name().equals(l.name() + "_weights"))
                .forEach(rom -> rom.writeAll(rtl));
    }

    @Test
    void aWeightNoImageExercisesFailsVerification() {
        VerilatorRequired.check();
        Path rtl = generate();
        LabeledImages images = cornerAlwaysZero(8);
        flipWeight(rtl, 0, 6, 0);
        VerifyReport r = new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images, 8);
        assertEquals(0, r.mismatches(), "pixel 0 is 0 in every image: the simulation cannot see its weight");
        assertFalse(r.passed(), "a ROM that differs from the network passed verification");
        VerifyReport.RomCheck roms = r.romCheck();
        assertEquals(3, roms.wordsDiffering(), "one word in each of .mem, .coe and .mif");
        assertEquals(List.of("dense0_weights.mem", "dense0_weights.coe", "dense0_weights.mif"), roms.filesDiffering());
        // PE 4, SIMD 4: neuron 6 is lane 2 of neuron fold 1, input 0 is bit 0 of input fold 0 -> word 1*16 + 0, bit 2*4 + 0
        VerifyReport.RomDifference d = roms.firstDifference();
        assertEquals("dense0_weights.mem", d.file());
        assertEquals(16, d.word());
        assertEquals("bit 8: neuron 6, input 0", d.bits());
        assertEquals(new java.math.BigInteger(d.expected(), 16).flipBit(8), new java.math.BigInteger(d.actual(), 16));
        assertEquals(3 * 8, roms.filesChecked(), "8 ROMs, three files each");
        assertTrue(roms.filesAbsent().isEmpty());
    }

    @Test
    void everyRomFileOfAGeneratedDesignMatches() {
        Path rtl = generate();
        VerifyReport.RomCheck roms = RomChecker.check(rtl, Design.read(rtl), net);
        assertTrue(roms.passed());
        assertEquals(3 * 8, roms.filesChecked());
        long words = RtlGenerator.roms(net, Design.read(rtl)).stream().mapToLong(rom -> rom.depth()).sum();
        assertEquals(3 * words, roms.wordsChecked());
    }

    @Test
    void aCoeFileAloneThatDiffersIsFound() throws IOException {
        Path rtl = generate();
        Path coe = rtl.resolve("dense1_thresholds.coe");
        List<String> lines = Files.readAllLines(coe);
        String word = lines.get(3);  // word 0
        char c = word.charAt(0);
        lines.set(3, (c == '0' ? '1' : '0') + word.substring(1));
        Files.write(coe, lines);
        Files.delete(rtl.resolve("dense1_thresholds.mif"));
        VerifyReport.RomCheck roms = RomChecker.check(rtl, Design.read(rtl), net);
        assertFalse(roms.passed());
        assertEquals(List.of("dense1_thresholds.coe"), roms.filesDiffering());
        assertEquals(0, roms.firstDifference().word());
        assertTrue(roms.firstDifference().bits().contains("neuron 1"), roms.firstDifference().describe());  // PE 2: the top digit is lane 1
        assertEquals(List.of("dense1_thresholds.mif"), roms.filesAbsent());
    }

    @Test
    void embeddedContentsAreCheckedAndTheirFilesOnlyWherePresent() throws IOException {
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).withEmbeddedRoms(true).generate(net, folding, rtl);
        Files.delete(rtl.resolve("dense2_mul.mem"));
        VerifyReport.RomCheck roms = RomChecker.check(rtl, Design.read(rtl), net);
        assertTrue(roms.passed());
        assertEquals(List.of("dense2_mul.mem"), roms.filesAbsent());
        assertEquals(1 + 3 * 8 - 1, roms.filesChecked());

        // the Verilog is what the design loads: change one embedded word (and no file)
        Path v = rtl.resolve("bc_rom.v");
        String text = Files.readString(v);
        String line = text.lines().filter(l -> l.contains("rom[2] = ")).findFirst().orElseThrow();
        String last = line.substring(line.length() - 2, line.length() - 1);
        String changed = line.substring(0, line.length() - 2) + (last.equals("0") ? "1" : "0") + ";";
        Files.writeString(v, text.replaceFirst(java.util.regex.Pattern.quote(line), changed));
        roms = RomChecker.check(rtl, Design.read(rtl), net);
        assertEquals(1, roms.wordsDiffering());
        assertEquals("bc_rom.v (dense0_weights.mem)", roms.firstDifference().file());
        assertEquals(2, roms.firstDifference().word());
    }

    @Test
    void theRomFilesMustBeTheNetworksEvenWhenTheSimulationAlsoFails() {
        // both comparisons report: the ROM check names the word, the simulation the first divergence
        VerilatorRequired.check();
        Path rtl = generate();
        LabeledImages images = VerifierTest.images(8, 8, 8, 12);
        flipWeight(rtl, 0, 6, 5);
        VerifyReport r = new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images, 8);
        assertFalse(r.passed());
        // input 5 is bit 1 of input fold 1: word 1*16 + 1, bit 2*4 + 1
        assertEquals(17, r.romCheck().firstDifference().word());
        assertEquals("bit 9: neuron 6, input 5", r.romCheck().firstDifference().bits());
        assertTrue(r.mismatches() > 0, "the simulation must still run and see the flipped weight");
        assertEquals("dense0", r.firstDivergence().layer());
        assertEquals(6, r.firstDivergence().neuron());
    }

    @Test
    void aMemFileOneWordShortIsAnError() throws IOException {
        VerilatorRequired.check();
        Path rtl = generate();
        Path mem = rtl.resolve("dense2_add.mem");
        List<String> lines = Files.readAllLines(mem);
        Files.write(mem, lines.subList(0, lines.size() - 1));
        BcflowException e = assertThrows(BcflowException.class,
                () -> new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, cornerAlwaysZero(2), 2));
        assertEquals(rtl.resolve("dense2_add.mem") + " line " + lines.size() + ": the file ends after " + (lines.size() - 2)
                + " of " + (lines.size() - 1) + " words", e.getMessage());
    }
}
