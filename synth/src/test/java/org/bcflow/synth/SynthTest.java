package org.bcflow.synth;

import org.bcflow.core.tools.ExternalTool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthTest {
    private static Path small(Path dir) {
        // every kind of memory: the image in a two-bank RAM (32 folds), dense0's weights in block RAM
        // (512 x 4 bits, half a block), its thresholds and all of dense1's ROMs in logic
        Network net = RandomNetwork.create(4, new int[] {128, 16, 4}, new int[] {8, 2});
        Folding f = new Folding(List.of(new LayerFolding(1, 4), new LayerFolding(2, 8)));
        new RtlGenerator("bcnet", 1).generate(net, f, dir);
        return dir;
    }

    /** Tests that need Yosys / nextpnr may skip only on a developer machine without them, never under CI. */
    private static void requireTools() {
        Map<String, String> env = System.getenv();
        boolean present = ExternalTool.locate(env, "YOSYS", "yosys") != null
                && ExternalTool.locate(env, "NEXTPNR_ICE40", "nextpnr-ice40") != null;
        assumeTrue(present || System.getenv("CI") != null, "yosys/nextpnr-ice40 not installed (and CI unset): skipping");
    }

    @Test
    void smallDesignSynthesizesWithoutLatchesAndWithRomsInBlockRam(@TempDir Path tmp) throws Exception {
        requireTools();
        Path rtl = small(tmp.resolve("rtl"));
        SynthReport r = new Synthesizer().run(rtl, tmp.resolve("synth"),
                new Synthesizer.Options("hx8k", null, List.of(), 12, true, Duration.ofMinutes(5)));
        assertEquals(0, r.ice40().latches());
        assertFalse(r.ice40().cells().keySet().stream().anyMatch(c -> c.contains("LATCH")));
        // the input RAM (64 x 32 bits: 2 blocks of 256x16) and dense0's weight ROM (1 block of 1024x4)
        assertEquals(3, r.ice40().blockRams(), r.table());
        assertEquals(r.ice40().blockRams(), r.modelTotal().blockRams(), "model BRAM count is exact\n" + r.table());
        assertTrue(r.ice40().luts() > 0 && r.ice40().flipFlops() > 0);
        assertTrue(r.fmaxMhz() > 1, r.table());
        assertTrue(r.pnr().logicCells() > 0);
        assertTrue(r.fits());
        r.write(tmp.resolve("synth/synth.json"));
        ObjectNode json = r.toJson();
        for (String key : List.of("device", "logic_cells", "luts", "flip_flops", "block_rams", "fmax_mhz",
                "images_per_second", "model")) {
            assertTrue(json.has(key), key);
        }
        assertEquals(r.fmaxMhz() * 1e6 / r.design().intervalCycles(), json.get("images_per_second").asDouble(), 1e-6);
        assertTrue(Files.exists(tmp.resolve("synth/yosys_ice40.log")));
        assertTrue(Files.exists(tmp.resolve("synth/nextpnr.log")));
    }

    /** A conv design with both window units (registers; a buffer in block RAM), a pool and a width converter. */
    @Test
    void convDesignSynthesizesWithoutLatchesAndTheModelCountsItsBlockRams(@TempDir Path tmp) throws Exception {
        requireTools();
        Network net = RandomNetwork.create(3, new org.bcflow.core.FeatureMap(1, 12, 12),
                org.bcflow.core.Architecture.parse("8C3-MP2-16C3-MP2-10"), new int[] {8, 2, 2});
        Folding f = new Folding(List.of(new LayerFolding(4, 3), new LayerFolding(4, 2), new LayerFolding(2, 8)));
        Path rtl = tmp.resolve("rtl");
        org.bcflow.rtlgen.Design d = new RtlGenerator("bcnet", 1).generate(net, f, rtl);
        assertTrue(d.layers().get(1).conv().buffered() && d.layers().get(1).conv().bufferInBlockRam(), "conv1 reads a block RAM buffer");
        SynthReport r = new Synthesizer().run(rtl, tmp.resolve("synth"),
                new Synthesizer.Options("hx8k", null, List.of(), 12, false, Duration.ofMinutes(5)));
        assertEquals(0, r.ice40().latches());
        assertEquals(r.ice40().blockRams(), r.modelTotal().blockRams(), "model BRAM count is exact\n" + r.table());
    }

    @Test
    void embeddedRomsMapToTheSameBlockRams(@TempDir Path tmp) throws Exception {
        requireTools();
        Network net = RandomNetwork.create(4, new int[] {128, 16, 4}, new int[] {8, 2});
        Folding f = new Folding(List.of(new LayerFolding(1, 4), new LayerFolding(2, 8)));
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).withEmbeddedRoms(true).generate(net, f, rtl);
        SynthReport r = new Synthesizer().run(rtl, tmp.resolve("synth"),
                new Synthesizer.Options("hx8k", null, List.of(), 12, false, Duration.ofMinutes(5)));
        assertEquals(0, r.ice40().latches());
        assertEquals(3, r.ice40().blockRams(), r.table());
    }

    @Test
    void otherFamiliesCountTheWholeDesign(@TempDir Path tmp) throws Exception {
        requireTools();
        Path rtl = small(tmp.resolve("rtl"));
        SynthReport r = new Synthesizer().run(rtl, tmp.resolve("synth"),
                new Synthesizer.Options("hx8k", null, List.of("xilinx", "ecp5"), 12, false, Duration.ofMinutes(5)));
        for (String family : List.of("xilinx", "ecp5")) {
            CellCounts c = r.families().get(family);
            assertTrue(c.luts() > 0 && c.flipFlops() > 0, family + ": " + c.cells());
            assertEquals(0, c.latches(), family);
            assertFalse(c.cells().keySet().stream().anyMatch(name -> name.contains("bc_")), family + " left submodules: " + c.cells());
        }
    }

    @Test
    void missingRomFileIsAnErrorNotZeros(@TempDir Path tmp) throws Exception {
        Path rtl = small(tmp.resolve("rtl"));
        Files.delete(rtl.resolve("dense1_weights.mem"));
        BcflowException e = assertThrows(BcflowException.class, () -> new Synthesizer(Map.of("YOSYS", "/bin/true",
                "NEXTPNR_ICE40", "/bin/true")).run(rtl, tmp.resolve("synth"), Synthesizer.Options.defaults()));
        assertTrue(e.getMessage().contains("dense1_weights.mem"), e.getMessage());
    }

    @Test
    void missingToolNamesItsPackage(@TempDir Path tmp) {
        Path rtl = small(tmp.resolve("rtl"));
        BcflowException e = assertThrows(BcflowException.class, () -> new Synthesizer(Map.of("PATH", tmp.toString()))
                .run(rtl, tmp.resolve("synth"), Synthesizer.Options.defaults()));
        assertTrue(e.getMessage().contains("apt-get install -y --no-install-recommends yosys"), e.getMessage());
        BcflowException n = assertThrows(BcflowException.class,
                () -> new Synthesizer(Map.of("NEXTPNR_ICE40", tmp.resolve("none").toString())).nextpnr());
        assertTrue(n.getMessage().contains("nextpnr-ice40"), n.getMessage());
        assertFalse(n.getMessage().contains("\n"));
    }

    @Test
    void parsesYosysStatAndNextpnrLog() {
        String stat = String.join("\n",
                "=== bcnet ===", "", "   Number of wires:               2054", "   Number of cells:               9691",
                "     SB_CARRY                     1979", "     SB_DFF                         98",
                "     SB_DFFE                      1733", "     SB_DFFESR                      42",
                "     SB_DFFESS                       2", "     SB_DFFSR                       19",
                "     SB_LUT4                      5805", "     SB_RAM40_4K                    13", "",
                "9. Executing CHECK pass (checking for obvious problems).");
        CellCounts c = CellCounts.parse("ice40", stat, "bcnet");
        assertEquals(5805, c.luts());
        assertEquals(98 + 1733 + 42 + 2 + 19, c.flipFlops());
        assertEquals(1979, c.carries());
        assertEquals(13, c.blockRams());
        assertEquals(0, c.latches());

        // a design left hierarchical: the top lists submodule instances, the totals follow
        String hier = String.join("\n",
                "=== bcnet ===", "", "   Number of cells:                 14", "     $paramod$4a90\\bc_dense      1",
                "     BUFG                            1", "     IBUF                           12", "",
                "=== design hierarchy ===", "", "   bcnet                             1",
                "     $paramod$4a90\\bc_dense      1", "", "   Number of wires:               2651",
                "   Number of cells:               9584", "     BUFG                            1",
                "     CARRY4                        633", "     DSP48E1                        10",
                "     FDRE                         3592", "     FDSE                           52",
                "     LUT2                         1088", "     LUT6                         1777",
                "     RAMB18E1                        7", "     RAMB36E1                        1", "",
                "12. Executing CHECK pass (checking for obvious problems).");
        CellCounts x = CellCounts.parse("xilinx", hier, "bcnet");
        assertEquals(1088 + 1777, x.luts());
        assertEquals(3592 + 52, x.flipFlops());
        assertEquals(633, x.carries());
        assertEquals(7 + 2, x.blockRams());
        assertEquals(10, x.dsps());

        String pnr = String.join("\n",
                "Info: Device utilisation:",
                "Info: \t         ICESTORM_LC:  2716/ 7680    35%",
                "Info: \t        ICESTORM_RAM:     8/   32    25%",
                "Info: Max frequency for clock 'clk$SB_IO_IN_$glb_clk': 30.10 MHz (PASS at 12.00 MHz)",
                "Info: Critical path report for clock 'clk$SB_IO_IN_$glb_clk' (posedge -> posedge):",
                "Info: curr total",
                "Info:  0.5  0.5  Source u_dense0.acc_SB_DFFE_Q_DFFLC.O",
                "Info:  1.2  1.7    Net u_dense0.acc[0] budget 1.0 ns (1,1) -> (1,2)",
                "Info:                Sink u_dense0.sum_SB_DFFE_Q_DFFLC.I0",
                "Info: 12.0 ns logic, 21.2 ns routing",
                "Info: ",
                "Info: Max frequency for clock 'clk$SB_IO_IN_$glb_clk': 28.51 MHz (PASS at 12.00 MHz)");
        PnrResult p = PnrResult.parse(pnr);
        assertEquals(2716, p.logicCells());
        assertEquals(7680, p.logicCellsAvailable());
        assertEquals(8, p.blockRams());
        assertEquals(28.51, p.fmaxMhz(), 1e-9);
        assertEquals("u_dense0.acc_SB_DFFE_Q_DFFLC.O -> u_dense0.sum_SB_DFFE_Q_DFFLC.I0", p.criticalPathSummary());
        assertEquals(null, p.error());
    }

    /** The packing estimate against nextpnr's logic cells of the placed (or packed) designs it was fitted on. */
    @Test
    void logicCellsFromLutsAndFlipFlops() {
        long[][] lutFfCells = {
            {4945, 2679, 6221}, {6097, 3447, 7373}, {4803, 2754, 6121}, {7871, 2704, 9024}, {9372, 3523, 10901},
            {7505, 3215, 9054}, {5931, 3314, 7681}, {6654, 3627, 8979}, {7167, 3812, 9526}, {4963, 3013, 6104},
            {5803, 1894, 6820}, {3990, 1879, 5143}, {9486, 4120, 11461}};
        for (long[] d : lutFfCells) {
            double error = (ResourceModel.logicCells(d[0], d[1]) - d[2]) / (double) d[2];
            assertTrue(Math.abs(error) < 0.07, java.util.Arrays.toString(d) + ": " + error);
        }
        assertEquals(100 + 48, ResourceModel.logicCells(100, 100));
        assertEquals(500 + 48, ResourceModel.logicCells(100, 500), "flip-flop-bound designs too");
    }

    @Test
    void blockRamShapes() {
        assertEquals(2, blocks(8, 32));      // 256x16 twice
        assertEquals(1, blocks(640, 4));     // 1024x4
        assertEquals(49, blocks(512, 392));  // 512x8
        assertEquals(64, blocks(784, 256));
        assertEquals(0, blocks(1, 256));     // one word: constants
    }

    private static int blocks(int depth, int width) {
        java.util.List<java.math.BigInteger> words = new java.util.ArrayList<>();
        for (int i = 0; i < depth; i++) {
            words.add(java.math.BigInteger.ONE.shiftLeft(width).subtract(java.math.BigInteger.ONE)
                    .xor(java.math.BigInteger.valueOf(i % 2)).or(java.math.BigInteger.valueOf(i % 2 == 0 ? 0 : 0)));
        }
        // every lane varies: alternate all-ones and all-zeros words
        for (int i = 0; i < depth; i++) {
            words.set(i, i % 2 == 0 ? java.math.BigInteger.ZERO : java.math.BigInteger.ONE.shiftLeft(width).subtract(java.math.BigInteger.ONE));
        }
        return new RomShape("t", depth, width, depth < 2 ? 0 : width, words).ice40Blocks();
    }
}
