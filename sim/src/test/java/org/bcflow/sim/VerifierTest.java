package org.bcflow.sim;

import org.bcflow.core.tools.ExternalTool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierTest {
    @TempDir
    Path tmp;

    /** Shared between tests of this class so that identical designs build once. */
    private static final Path CACHE = Verifier.defaultCache().resolve("tests");

    // 6-bit outputs of dense0 use the multiply-add, 3-bit outputs of dense1 the thresholds
    private final Network net = RandomNetwork.create(7, new int[] {64, 16, 8, 10}, new int[] {8, 6, 3});

    @BeforeEach
    void needsVerilator() {
        VerilatorRequired.check();
    }

    /** Random images, with the extreme ones (all 0, all 255, alternating) first. */
    static LabeledImages images(int count, int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = rows * cols;
        byte[] px = new byte[count * n];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < n; j++) {
                int v = switch (i) {
                    case 0 -> 0;
                    case 1 -> 255;
                    case 2 -> j % 2 == 0 ? 255 : 0;
                    default -> rnd.nextInt(256);
                };
                px[i * n + j] = (byte) v;
            }
            labels[i] = (byte) rnd.nextInt(10);
        }
        return new LabeledImages(count, rows, cols, px, labels, 10);
    }

    private VerifyReport generateAndVerify(Network network, Folding folding, int pixelsPerBeat, int count) {
        Path rtl = tmp.resolve("rtl-" + folding.toString().replace(',', '_') + "-" + pixelsPerBeat);
        new RtlGenerator("bcnet", pixelsPerBeat).generate(network, folding, rtl);
        return new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images(count, 8, 8, 3), count);
    }

    private static Folding folding(int... peSimd) {
        List<LayerFolding> list = new ArrayList<>();
        for (int i = 0; i < peSimd.length; i += 2) {
            list.add(new LayerFolding(peSimd[i], peSimd[i + 1]));
        }
        return new Folding(list);
    }

    @Test
    void hardwareMatchesReferenceAndPredictedCyclesAcrossFoldings() {
        List<Folding> foldings = List.of(
                folding(1, 1, 1, 1, 1, 1),       // fully folded: one weight per cycle
                folding(16, 64, 8, 16, 10, 8),   // fully parallel
                folding(4, 8, 2, 4, 5, 8),
                folding(2, 32, 8, 1, 1, 2));
        for (Folding f : foldings) {
            VerifyReport r = generateAndVerify(net, f, 1, 12);
            assertEquals(0, r.mismatches(), f + ": " + r.firstMismatches());
            assertTrue(r.passed(), f + ": " + r.failures());
            assertEquals(12, r.vectors());
            assertEquals(r.cycles().cyclesPerImagePredicted(), r.cycles().cyclesPerImageMeasured(), f + " interval");
            assertEquals(r.cycles().intervalMin(), r.cycles().intervalMax(), f + " steady state is not steady");
            assertEquals(r.cycles().latencyPredicted(), r.cycles().latencyMeasured(), f + " latency");
        }
    }

    @Test
    void backpressureAndSeveralProcessesChangeNothing() {
        Folding f = folding(4, 4, 2, 4, 5, 8);  // 16 input folds: the image goes into the first layer's RAM
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, f, rtl);
        Verifier.Options o = Verifier.Options.of(40).withJobs(2).withBackpressure(300, 400, 9);
        VerifyReport r = new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images(40, 8, 8, 5), o);
        assertEquals(0, r.mismatches());
        assertEquals(2, r.jobs());
        assertEquals(r.cycles().cyclesPerImagePredicted(), r.cycles().cyclesPerImageMeasured());
        VerifyReport.Backpressure b = r.backpressure();
        assertEquals(0, b.mismatches());
        assertTrue(b.sameOutputs());
        assertTrue(b.meanInterval() > r.cycles().cyclesPerImagePredicted(), "stalls must cost cycles: " + b.meanInterval());
        assertTrue(r.passed());
    }

    @Test
    void icarusAgreesWithVerilator() {
        Path iverilog = ExternalTool.locate(System.getenv(), "IVERILOG", "iverilog");
        org.junit.jupiter.api.Assumptions.assumeTrue(iverilog != null || System.getenv("CI") != null, "Icarus not installed");
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 2).generate(net, folding(4, 4, 2, 4, 5, 8), rtl);  // image in RAM
        Verifier v = new Verifier(CACHE, Duration.ofMinutes(5));
        LabeledImages imgs = images(8, 8, 8, 8);
        VerifyReport a = v.verify(rtl, imgs, Verifier.Options.of(8));
        VerifyReport b = v.verify(rtl, imgs, Verifier.Options.of(8).withSimulator("icarus"));
        assertTrue(b.simulator().startsWith("Icarus Verilog"), b.simulator());
        assertTrue(a.passed(), a.failures().toString());
        assertTrue(b.passed(), "Icarus: " + b.failures());
        assertEquals(a.cycles().totalCycles(), b.cycles().totalCycles());
        assertEquals(a.cycles().latencyMeasured(), b.cycles().latencyMeasured());
        assertEquals(a.cycles().cyclesPerImageMeasured(), b.cycles().cyclesPerImageMeasured());
    }

    @Test
    void withoutTheScoresPortTheScoresAreStillChecked() throws IOException {
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).withScores(false).generate(net, folding(4, 4, 2, 4, 5, 8), rtl);
        assertFalse(Files.readString(rtl.resolve("bcnet.v")).contains(" m_axis_tuser,"), "no m_axis_tuser port");
        VerifyReport r = new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images(6, 8, 8, 4), 6);
        assertTrue(r.passed(), r.failures().toString());
        assertEquals(r.cycles().latencyPredicted(), r.cycles().latencyMeasured());
    }

    @Test
    void batchNormAsMultiplyAddInANarrowLayer() throws IOException {
        // dense1 has 3-bit outputs: thresholds by default, multiply-add-shift on request
        Path rtl = tmp.resolve("rtl");
        var design = new RtlGenerator("bcnet", 1).withBatchNorm(org.bcflow.rtlgen.BatchNormStyle.MULADD)
                .generate(net, folding(4, 4, 2, 4, 5, 8), rtl);
        assertFalse(design.layers().get(1).thresholds());
        assertTrue(new RtlGenerator("bcnet", 1).plan(net, folding(4, 4, 2, 4, 5, 8)).layers().get(1).thresholds());
        assertTrue(Files.exists(rtl.resolve("dense1_mul.mem")));
        assertFalse(Files.exists(rtl.resolve("dense1_thresholds.mem")));
        VerifyReport r = new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images(20, 8, 8, 6), 20);
        assertTrue(r.passed(), r.failures().toString());
        assertEquals(r.cycles().latencyPredicted(), r.cycles().latencyMeasured());
    }

    @Test
    void embeddedRomsNeedNoRomFiles() throws IOException {
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).withEmbeddedRoms(true).generate(net, folding(4, 4, 2, 4, 5, 8), rtl);
        try (var files = Files.list(rtl)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".mem")).toList()) {
                Files.delete(f);
            }
        }
        assertFalse(Files.readString(rtl.resolve("bc_rom.v")).contains("$readmemh"));
        VerifyReport r = new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images(6, 8, 8, 4), 6);
        assertTrue(r.passed(), r.failures().toString());
        // and Icarus reads the same Verilog
        Path iverilog = ExternalTool.locate(System.getenv(), "IVERILOG", "iverilog");
        if (iverilog != null || System.getenv("CI") != null) {
            VerifyReport b = new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images(6, 8, 8, 4),
                    Verifier.Options.of(6).withSimulator("icarus"));
            assertTrue(b.passed(), "Icarus: " + b.failures());
        }
    }

    @Test
    void severalPixelsPerBeat() {
        // 8 pixels per beat into registers; 2 per beat gathered into 4-pixel words of the input RAM
        for (int[] fp : new int[][] {{8, 8}, {4, 2}}) {
            VerifyReport r = generateAndVerify(net, folding(4, fp[0], 2, 4, 5, 8), fp[1], 10);
            assertTrue(r.passed(), r.failures().toString());
            assertEquals(r.cycles().cyclesPerImagePredicted(), r.cycles().cyclesPerImageMeasured());
            assertEquals(r.cycles().latencyPredicted(), r.cycles().latencyMeasured());
        }
    }

    @Test
    void aFlippedRomBitIsCaught() throws IOException {
        Folding f = folding(4, 8, 2, 4, 5, 8);
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, f, rtl);
        Verifier verifier = new Verifier(CACHE, Duration.ofMinutes(5));
        LabeledImages imgs = images(20, 8, 8, 4);
        assertEquals(0, verifier.verify(rtl, imgs, 20).mismatches());

        // flip the weight of a score with a non-zero multiplier from an input that is non-zero for
        // image 3, as a bad ROM image would (a zero input or a zero gamma would hide any weight)
        long[] hidden = new org.bcflow.core.Reference(net).run(imgs.image(3)).outputs()[1];
        int input = 0;
        while (hidden[input] == 0) {
            input++;
        }
        org.bcflow.core.DenseLayer last = net.layer(2);
        int neuron = 0;
        while (last.mul(neuron) == 0) {
            neuron++;
        }
        Network faulty = net.withLayer(2, last.withWeights(last.weights().withFlipped(neuron, input)));
        var design = new RtlGenerator("bcnet", 1).plan(faulty, f);
        RtlGenerator.roms(faulty, design).stream().filter(rom -> rom.name().equals("dense2_weights"))
                .forEach(rom -> rom.writeAll(rtl));
        VerifyReport r = verifier.verify(rtl, imgs, 20);
        assertTrue(r.mismatches() > 0, "a flipped weight bit went unnoticed");
        VerifyReport.Divergence d = r.firstDivergence();
        assertEquals("dense2", d.layer());
        assertEquals(neuron, d.neuron());
        assertTrue(d.image() <= 3, d.describe());
        assertEquals(new org.bcflow.core.Reference(net).run(imgs.image(d.image())).scores()[neuron], d.expected());
        assertTrue(Files.size(Path.of(r.waveform())) > 0, "no waveform written");
        assertEquals(3, r.firstMismatches().get(0).image() <= 3 ? 3 : -1, "image 3 at the latest must differ");
        assertEquals(neuron, r.firstMismatches().get(0).firstDifferentScore(), "the flipped weight feeds that score only");
    }

    @Test
    void aMissingRomFileIsAnError() throws IOException {
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, folding(4, 8, 2, 4, 5, 8), rtl);
        Files.delete(rtl.resolve("dense2_mul.mem"));
        BcflowException e = assertThrows(BcflowException.class,
                () -> new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images(2, 8, 8, 1), 2));
        assertTrue(e.getMessage().contains("dense2_mul.mem"), e.getMessage());
    }

    @Test
    void missingVerilatorSaysHowToInstallIt() {
        BcflowException e = assertThrows(BcflowException.class,
                () -> Verilator.locate(Map.of("VERILATOR", "/nonexistent/verilator")));
        assertEquals(Verilator.INSTALL_HINT, e.getMessage());
        e = assertThrows(BcflowException.class, () -> Verilator.locate(Map.of("PATH", tmp.toString())));
        assertTrue(e.getMessage().contains("apt-get install verilator"));
    }
}
