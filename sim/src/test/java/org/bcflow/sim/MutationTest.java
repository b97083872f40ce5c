package org.bcflow.sim;

import java.util.List;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.bcflow.core.BitMatrix;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planted faults must be caught and located: each test generates a correct design, checks that it
 * passes, plants one fault in the generated files (as a broken ROM image or a generator bug
 * would), and expects verify to name the faulty layer and neuron. A planted ROM fault also fails
 * the ROM check; the simulation still runs, and these tests require that it, too, finds the fault.
 */
class MutationTest {
    @TempDir
    Path tmp;

    private static final Path CACHE = Verifier.defaultCache().resolve("tests");
    private static final Folding FOLDING = Folding.forInputRate(worstCaseNetwork(), List.of(4, 2, 5), List.of(8, 4, 8), 1);
    private Path rtl;
    private final Network net = worstCaseNetwork();
    private final LabeledImages images = VerifierTest.images(16, 8, 8, 6);

    /**
     * A random 64-16-8-10 network whose neuron 0 of the first layer has every weight +1 and
     * neuron 1 every weight -1, with constants that keep their outputs mid-range at the worst-case
     * accumulator: the all-255 image drives that accumulator to its bound.
     */
    static Network worstCaseNetwork() {
        Network r = RandomNetwork.create(21, new int[] {64, 16, 8, 10}, new int[] {8, 4, 3});
        DenseLayer l0 = r.layer(0);
        BitMatrix.Builder w = new BitMatrix.Builder(l0.outputs(), l0.inputs());
        for (int n = 0; n < l0.outputs(); n++) {
            for (int j = 0; j < l0.inputs(); j++) {
                w.set(n, j, n == 0 || n > 1 && l0.weights().isPlus(n, j));
            }
        }
        long[] mul = l0.mul();
        long[] add = l0.add();
        long maxAcc = 64 * 255;
        mul[0] = (8L << 16) / maxAcc; // acc = +maxAcc -> about 8 of 15
        add[0] = 0;
        mul[1] = -(8L << 16) / maxAcc; // acc = -maxAcc -> about 8 of 15
        add[1] = 0;
        return r.withLayer(0, new DenseLayer(l0.name(), w.build(), l0.inputBits(), mul, add, l0.shift()));
    }

    @BeforeEach
    void generateAndPass() {
        VerilatorRequired.check();
        rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, FOLDING, rtl);
        VerifyReport clean = verify();
        assertEquals(0, clean.mismatches(), "the unmutated design must pass");
        assertTrue(clean.passed(), "the unmutated design must pass");
    }

    private VerifyReport verify() {
        return new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images, Verifier.Options.of(images.count()));
    }

    /** Rewrites the ROM files of layer {@code layer} from a changed copy of the network. */
    private void plantRoms(int layer, UnaryOperator<DenseLayer> change) {
        Network faulty = net.withLayer(layer, change.apply(net.layer(layer)));
        Design d = new RtlGenerator("bcnet", 1).plan(faulty, FOLDING);
        String prefix = net.layer(layer).name() + "_";
        RtlGenerator.roms(faulty, d).stream().filter(rom -> rom.name().startsWith(prefix)).forEach(rom -> rom.writeAll(rtl));
    }

    private void assertLocated(VerifyReport r, String layer, int neuron) {
        assertTrue(r.mismatches() > 0, "planted fault not detected");
        VerifyReport.Divergence d = r.firstDivergence();
        assertNotNull(d);
        assertEquals(layer, d.layer(), d.describe());
        assertEquals(neuron, d.neuron(), d.describe());
        assertTrue(d.expected() != d.actual());
    }

    @Test
    void flippedRomBit() {
        plantRoms(1, l -> l.withWeights(l.weights().withFlipped(3, 0)));
        VerifyReport r = verify();
        assertTrue(r.mismatches() > 0);
        assertEquals("dense1", r.firstDivergence().layer());
        assertEquals("dense1_weights.mem", r.romCheck().firstDifference().file());
        // PE 2, SIMD 4 over 16 inputs: neuron 3 is lane 1 of neuron fold 1 -> word 1*4 + 0, bit 1*4 + 0
        assertEquals(4, r.romCheck().firstDifference().word());
        assertEquals("bit 4: neuron 3, input 0", r.romCheck().firstDifference().bits());
    }

    @Test
    void scoreOffsetNudgedByOne() {
        plantRoms(2, l -> {
            long[] add = l.add();
            add[7] += 1;
            return l.withMulAdd(l.mul(), add);
        });
        assertLocated(verify(), "dense2", 7);
    }

    @Test
    void hiddenScaleNudged() {
        // one output step of neuron 5's multiplier: a change of 2^shift / 64 per unit of acc
        plantRoms(1, l -> {
            long[] mul = l.mul();
            mul[5] += Math.max(1, (1L << l.shift()) / 64) * Long.signum(mul[5] == 0 ? 1 : mul[5]);
            return l.withMulAdd(mul, l.add());
        });
        VerifyReport r = verify();
        assertTrue(r.mismatches() > 0, "nudged scale not detected");
        assertEquals("dense1", r.firstDivergence().layer());
        assertEquals(5, r.firstDivergence().neuron());
    }

    @Test
    void swappedPeLanes() {
        // lanes 0 and 1 of the first neuron fold hold neurons 0 and 1: swapping the lanes swaps their rows
        plantRoms(0, l -> {
            BitMatrix.Builder b = new BitMatrix.Builder(l.outputs(), l.inputs());
            for (int n = 0; n < l.outputs(); n++) {
                int src = n == 0 ? 1 : n == 1 ? 0 : n;
                for (int j = 0; j < l.inputs(); j++) {
                    b.set(n, j, l.weights().isPlus(src, j));
                }
            }
            return l.withWeights(b.build());
        });
        assertLocated(verify(), "dense0", 0);
    }

    @Test
    void accumulatorNarrowedByOneBit() throws IOException {
        Design d = Design.read(rtl);
        int acc = d.layers().get(0).accBits();
        Path top = rtl.resolve("bcnet.v");
        String v = Files.readString(top);
        String narrowed = v.replaceFirst("\\.ACC_BITS\\(" + acc + "\\)", ".ACC_BITS(" + (acc - 1) + ")");
        assertTrue(!narrowed.equals(v));
        Files.writeString(top, narrowed);
        VerifyReport r = verify();
        // image 1 is all 255: neuron 0 (all weights +1) reaches the accumulator's bound and wraps
        assertLocated(r, "dense0", 0);
        assertEquals(1, r.firstDivergence().image());
    }

    /**
     * A full-throughput pipeline register between the last layer and the argmax: every output is
     * the same, one cycle late. The cycle model must catch what the comparison of values cannot.
     */
    @Test
    void extraPipelineRegisterBeforeTheArgmax() throws IOException {
        Design d = Design.read(rtl);
        Design.Layer last = d.layers().get(d.layers().size() - 1);
        String n = last.name();
        Path top = rtl.resolve("bcnet.v");
        String v = Files.readString(top);
        String into = ".in_valid(" + n + "_valid), .in_ready(" + n + "_ready), .in_data(" + n + "_data),\n"
                + "        .m_axis_tdata";
        assertTrue(v.contains(into));
        String register = "    reg late_valid;\n"
                + "    reg [" + (last.outputs() * last.outBits() - 1) + ":0] late_data;\n"
                + "    wire late_ready;\n"
                + "    assign " + n + "_ready = !late_valid || late_ready;\n"
                + "    always @(posedge clk) if (!rst_n) late_valid <= 1'b0; else if (" + n + "_ready) late_valid <= " + n + "_valid;\n"
                + "    always @(posedge clk) if (" + n + "_ready) late_data <= " + n + "_data;\n";
        v = v.replace(into, ".in_valid(late_valid), .in_ready(late_ready), .in_data(late_data),\n        .m_axis_tdata")
                .replace("    bc_argmax #(", register + "    bc_argmax #(");
        Files.writeString(top, v);
        VerifyReport r = verify();
        assertEquals(0, r.mismatches(), "the register changes no value");
        assertFalse(r.passed(), "latency predicted " + r.cycles().latencyPredicted() + ", measured " + r.cycles().latencyMeasured()
                + ", yet verification passed");
        long l = d.latencyCycles();
        assertEquals(java.util.List.of("latency predicted " + l + ", measured " + (l + 1) + " (image 0)",
                "argmax took 7 cycles for image 0 in an empty pipeline, predicted 6"), r.cycleCheck().problems());
        assertTrue(r.failures().contains("latency predicted " + l + ", measured " + (l + 1) + " (image 0)"));
    }
}
