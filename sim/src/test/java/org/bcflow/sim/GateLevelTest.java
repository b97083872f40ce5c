package org.bcflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.core.tools.ExternalTool;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate-level check on real netlists: Yosys's generic gate netlist of a design matches the
 * reference, images and cycles; a netlist of a faulty design, one that never answers and one
 * that answers x are each caught. (The technology-mapped netlist with the OSU cells' models is
 * run by the asic command's test.)
 */
class GateLevelTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private final Network net = RandomNetwork.create(11, new int[] {9, 12, 6}, new int[] {8, 2});
    private final Folding folding = new Folding(List.of(new LayerFolding(3, 3), new LayerFolding(2, 4)));

    @TempDir
    Path tmp;

    @BeforeEach
    void needsTools() {
        boolean present = ExternalTool.locate(System.getenv(), "YOSYS", "yosys") != null
                && ExternalTool.locate(System.getenv(), "IVERILOG", "iverilog") != null;
        assumeTrue(present || System.getenv("CI") != null, "Yosys or Icarus not installed (and CI unset): skipping");
    }

    static LabeledImages images(int count, int classes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] px = new byte[count * 9];
        byte[] labels = new byte[count];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i < 9 ? 255 : rnd.nextInt(256));
        }
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) rnd.nextInt(classes);
        }
        return new LabeledImages(count, 3, 3, px, labels, classes);
    }

    /** Yosys's generic gate netlist of the design in {@code rtl}, flattened: plain Verilog, no cell library. */
    private Path gateNetlist(Path rtl, String name) {
        Design d = Design.read(rtl);
        Path out = tmp.resolve(name + ".v");
        StringBuilder ys = new StringBuilder("read_verilog -defer");
        d.verilogFiles().forEach(f -> ys.append(' ').append(rtl.resolve(f).toAbsolutePath()));
        ys.append("\nsynth -flatten -top ").append(d.top()).append("\nwrite_verilog -noattr ").append(out).append('\n');
        ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.locate(System.getenv(), "YOSYS", "yosys").toString(), "-q",
                "-p", ys.toString()), rtl, tmp.resolve(name + ".log"), TIMEOUT);
        assertEquals(0, r.exitCode(), r.output());
        return out;
    }

    private Path generate(String name) {
        Path rtl = tmp.resolve(name);
        new RtlGenerator("bcnet", 1).generate(net, folding, rtl);
        return rtl;
    }

    @Test
    void aGenericGateNetlistMatchesTheReferenceImageByImageAndCycleByCycle() throws Exception {
        Path rtl = generate("rtl");
        Path netlist = gateNetlist(rtl, "gates");
        assertFalse(Files.readString(netlist).contains("bc_dense"), "the netlist is flat");
        GateLevelReport r = new GateLevelCheck(TIMEOUT, 2, GateLevelCheck.Simulator.ICARUS).check(rtl, List.of(netlist), images(20, 6, 3), 20);
        assertTrue(r.passed(), r.summary());
        assertEquals(0, r.mismatches());
        assertEquals(2, r.jobs());
        assertTrue(r.scoresCompared());
        Design d = Design.read(rtl);
        assertEquals(d.intervalCycles(), r.intervalPredicted());
        assertEquals(d.intervalCycles(), r.intervalMeasured());
        assertEquals(d.latencyCycles(), r.latencyMeasured());
        assertTrue(r.simulator().startsWith("Icarus Verilog"), r.simulator());
    }

    @Test
    void verilatorRunsTheSameNetlistToTheSameVerdicts() {
        VerilatorRequired.check();
        Path rtl = generate("rtl");
        Path netlist = gateNetlist(rtl, "gates");
        GateLevelReport r = new GateLevelCheck(TIMEOUT, 2, GateLevelCheck.Simulator.VERILATOR).check(rtl, List.of(netlist),
                images(20, 6, 3), 20);
        assertTrue(r.passed(), r.summary());
        assertTrue(r.simulator().startsWith("Verilator"), r.simulator());
        assertEquals(2, r.jobs());
        assertEquals(Design.read(rtl).intervalCycles(), r.intervalMeasured());
        assertEquals(Design.read(rtl).latencyCycles(), r.latencyMeasured());

        Path faulty = generate("faulty");
        PlantedFaults.SHIFT_ONE_TOO_LARGE.plant(net, Design.read(faulty), faulty);
        GateLevelReport f = new GateLevelCheck(TIMEOUT, 2, GateLevelCheck.Simulator.VERILATOR).check(rtl,
                List.of(gateNetlist(faulty, "faulty")), images(20, 6, 3), 20);
        assertTrue(f.mismatches() > 0, f.summary());
    }

    @Test
    void aDesignWithoutTheScoresPortIsComparedByItsClass() {
        Path rtl = tmp.resolve("no-scores");
        new RtlGenerator("bcnet", 1).withScores(false).generate(net, folding, rtl);
        GateLevelReport r = new GateLevelCheck(TIMEOUT, 1, GateLevelCheck.Simulator.ICARUS).check(rtl, List.of(gateNetlist(rtl, "no-scores")), images(8, 6, 3), 8);
        assertTrue(r.passed(), r.summary());
        assertFalse(r.scoresCompared());
        assertEquals(Design.read(rtl).intervalCycles(), r.intervalMeasured());
    }

    @Test
    void theNetlistOfAFaultyDesignIsCaught() {
        Path rtl = generate("rtl");
        Path faulty = generate("faulty");
        PlantedFaults.SHIFT_ONE_TOO_LARGE.plant(net, Design.read(faulty), faulty);
        GateLevelReport r = new GateLevelCheck(TIMEOUT, 1, GateLevelCheck.Simulator.ICARUS).check(rtl, List.of(gateNetlist(faulty, "faulty")),
                images(20, 6, 3), 20);
        assertFalse(r.passed());
        assertTrue(r.mismatches() > 0, r.summary());
        assertTrue(r.failures().get(0).contains("of 20 images differ"), r.failures().toString());
    }

    @Test
    void aNetlistThatNeverAnswersOrAnswersUnknownsFails() throws Exception {
        Path rtl = generate("rtl");
        Design d = Design.read(rtl);
        String ports = "module bcnet(input clk, input rst_n, input [" + (d.pixelsPerBeat() * d.inputBits() - 1) + ":0] s_axis_tdata, input s_axis_tvalid,"
                + " output s_axis_tready, output [" + (d.tdataBits() - 1) + ":0] m_axis_tdata, output ["
                + (d.classes() * d.scoreBits() - 1) + ":0] m_axis_tuser, output m_axis_tvalid, input m_axis_tready,"
                + " output m_axis_tlast);\n    assign s_axis_tready = 1'b1;\n    assign m_axis_tlast = 1'b1;\n";
        Path silent = tmp.resolve("silent.v");
        Files.writeString(silent, ports + "    assign m_axis_tvalid = 1'b0;\n    assign m_axis_tdata = 0;\n"
                + "    assign m_axis_tuser = 0;\nendmodule\n");
        GateLevelReport r = new GateLevelCheck(TIMEOUT, 1, GateLevelCheck.Simulator.ICARUS).check(rtl, List.of(silent), images(4, 6, 3), 4);
        assertEquals(4, r.mismatches(), r.summary());
        assertTrue(r.failures().stream().anyMatch(f -> f.contains("produced no output within")), r.failures().toString());

        Path unknown = tmp.resolve("unknown.v");
        Files.writeString(unknown, ports + "    reg v = 1'b0;\n    always @(posedge clk) v <= ~v;\n"
                + "    assign m_axis_tvalid = v;\n    assign m_axis_tdata = 1'bx;\n    assign m_axis_tuser = 0;\nendmodule\n");
        GateLevelReport x = new GateLevelCheck(TIMEOUT, 1, GateLevelCheck.Simulator.ICARUS).check(rtl, List.of(unknown), images(4, 6, 3), 4);
        assertEquals(4, x.mismatches(), x.summary());
        assertEquals(-1, x.firstMismatches().get(0).actualClass());
    }
}
