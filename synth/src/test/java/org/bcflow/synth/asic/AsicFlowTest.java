package org.bcflow.synth.asic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.tools.ExternalTool;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small design through qflow's synthesis and static timing, with the real tools. */
class AsicFlowTest {
    /** Tests that need qflow may skip only on a developer machine without it, never under CI. */
    private static void requireQflow() {
        boolean present = ExternalTool.locate(System.getenv(), "QFLOW", "qflow") != null
                && Files.isRegularFile(Technology.QFLOW_TECH.resolve("osu018/osu018_stdcells.lib"));
        assumeTrue(present || System.getenv("CI") != null, "qflow / qflow-tech-osu018 not installed (and CI unset): skipping");
    }

    @Test
    void aSmallDesignIsMappedTimedAndCounted(@TempDir Path tmp) {
        requireQflow();
        Network net = RandomNetwork.create(5, new int[] {6, 8, 4}, new int[] {3, 2});
        Path rtl = tmp.resolve("rtl");
        var design = new RtlGenerator("bcnet", 1).generate(net, new Folding(List.of(new LayerFolding(2, 3), new LayerFolding(2, 4))), rtl);
        Technology tech = Technology.of("osu018");
        AsicResult r;
        try {
            r = new AsicFlow().run(rtl, tmp.resolve("asic"), new AsicFlow.Options(tech, 100, Duration.ofMinutes(10)));
        } catch (BcflowException e) {
            throw new AssertionError(e.getMessage() + "\n" + read(tmp.resolve("asic/logs/flatten.log")), e);
        }

        // the counts are the netlist's: every instance of a library cell, nothing else
        String netlist = Files.exists(r.netlist()) ? read(r.netlist()) : "";
        Matcher m = Pattern.compile("(?m)^\\s*DFFPOSX1\\s+\\S+\\s*\\(").matcher(netlist);
        long dffs = m.results().count();
        assertTrue(dffs > 0, "no flip-flop in the netlist");
        assertEquals(dffs, (long) r.cells().cells().get("DFFPOSX1"));
        assertEquals(r.cells().cells().values().stream().mapToLong(Integer::longValue).sum(), r.cells().total());
        CellLibrary lib = CellLibrary.read(tech);
        double area = r.cells().cells().entrySet().stream().mapToDouble(e -> lib.area(e.getKey()) * e.getValue()).sum();
        assertEquals(area, r.cells().areaUm2(), 1e-6);
        assertTrue(r.cells().flipFlops() >= dffs);

        assertTrue(r.fmaxMhz() > 50 && r.fmaxMhz() < 2000, "Fmax " + r.fmaxMhz());
        assertEquals(1000 / r.fmaxMhz(), r.criticalPath().ns(), 0.05 * r.criticalPath().ns(), "critical path vs Fmax");
        assertEquals(design.intervalCycles(), r.intervalCycles());
        assertEquals(Math.min(100, r.fmaxMhz()) * 1e6 / design.intervalCycles(), r.imagesPerSecond(), 1e-6);
        assertTrue(r.verdict().startsWith("osu018: "), r.verdict());
        for (String stage : List.of("flatten", "synthesize", "sta")) {
            assertTrue(r.stageSeconds().get(stage) > 0, stage);
            assertTrue(Files.isRegularFile(tmp.resolve("asic/logs/" + stage + ".log")), stage + " log");
        }
    }

    @Test
    void aFailingStageIsOneLineNamingItAndItsLog(@TempDir Path tmp) throws Exception {
        requireQflow();
        Network net = RandomNetwork.create(5, new int[] {4, 3}, new int[] {2});
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, new Folding(List.of(new LayerFolding(1, 1))), rtl);
        Files.writeString(rtl.resolve("bcnet.v"), Files.readString(rtl.resolve("bcnet.v")).replaceFirst("endmodule", "endmodul"));
        BcflowException e = assertThrows(BcflowException.class, () -> new AsicFlow().run(rtl, tmp.resolve("asic"),
                new AsicFlow.Options(Technology.of("osu018"), 100, Duration.ofMinutes(5))));
        assertTrue(e.getMessage().startsWith("asic stage flatten failed: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(log: " + tmp.resolve("asic/logs/flatten.log") + ")"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        BcflowException unknown = assertThrows(BcflowException.class, () -> Technology.of("tsmc7"));
        assertTrue(unknown.getMessage().contains("osu018, osu035, osu050"), unknown.getMessage());
        BcflowException missing = assertThrows(BcflowException.class,
                () -> new AsicFlow(Map.of("PATH", tmp.toString())).qflow());
        assertTrue(missing.getMessage().startsWith("qflow not found"), missing.getMessage());
    }

    /** Every cell a mapping can use has its outline; the Liberty file's flip-flops are the library's sequential cells. */
    @Test
    void everyLibertyCellHasItsLefOutline() throws Exception {
        requireQflow();
        for (Technology t : Technology.KNOWN) {
            if (!Files.isRegularFile(t.library())) {
                continue;
            }
            CellLibrary lib = CellLibrary.read(t);
            Matcher cell = Pattern.compile("(?m)^\\s*cell\\s*\\((\\w+)\\)").matcher(Files.readString(t.library()));
            int checked = 0;
            while (cell.find()) {
                assertTrue(lib.has(cell.group(1)), t.name() + " " + cell.group(1) + " has no outline");
                assertTrue(lib.area(cell.group(1)) > 0);
                checked++;
            }
            assertTrue(checked > 20, t.name() + ": " + checked + " cells checked");
            assertTrue(lib.isSequential("DFFPOSX1") && lib.isSequential("DFFSR") && !lib.isSequential("NAND2X1"), t.name());
        }
        // NAND3X1 of OSU 0.18: the outline is 3.2 x 10 µm; the Liberty file says 36
        assertEquals(32.0, CellLibrary.read(Technology.of("osu018")).area("NAND3X1"), 1e-9);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
