package org.bcflow.sim;

import org.bcflow.core.tools.ExternalTool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated Verilog is plain Verilog-2005: Verilator's lint and Icarus both accept it without a
 * warning, and Yosys reads the folder as it is (no -defer: every module elaborates with its default
 * parameters too) and maps it to an iCE40.
 */
class PortableRtlTest {
    @TempDir
    Path tmp;

    private Design generate() {
        Network net = RandomNetwork.create(5, new int[] {64, 16, 8, 10}, new int[] {8, 4, 3});
        return new RtlGenerator("bcnet", 2).generate(net, Folding.forInputRate(net, List.of(4, 1, 10), List.of(8, 16, 1), 2), tmp);
    }

    /**
     * A conv network with every streaming unit: a window in registers over a padded image (conv0),
     * a max-pool, a window from a buffer fed through a width converter (conv1), a dense layer taking
     * the map word by word and one taking it whole.
     */
    private Design generateConv() {
        Network net = RandomNetwork.create(5, new org.bcflow.core.FeatureMap(1, 8, 8),
                org.bcflow.core.Architecture.parse("4C3-MP2-6C3-5FC-3"), new int[] {8, 3, 2, 2});
        Folding f = new Folding(List.of(new org.bcflow.rtlgen.LayerFolding(2, 3), new org.bcflow.rtlgen.LayerFolding(3, 2),
                new org.bcflow.rtlgen.LayerFolding(5, 3), new org.bcflow.rtlgen.LayerFolding(3, 5)));
        return new RtlGenerator("bcnet", 1).generate(net, f, tmp.resolve("conv"));
    }

    @Test
    void convDesignLintsCleanInBothSimulators() {
        VerilatorRequired.check();
        Design d = generateConv();
        Path dir = tmp.resolve("conv");
        List<String> cmd = new ArrayList<>(List.of(Verilator.locate().executable().toString(), "--lint-only", "-Wall",
                "--top-module", d.top()));
        d.verilogFiles().forEach(f -> cmd.add(dir.resolve(f).toString()));
        ExternalTool.Result r = ExternalTool.run(cmd, dir, tmp.resolve("lint-conv.log"), Duration.ofMinutes(2));
        assertEquals("", r.output().strip());
        assertEquals(0, r.exitCode());
        Path iverilog = ExternalTool.locate(System.getenv(), "IVERILOG", "iverilog");
        assumeTrue(iverilog != null || System.getenv("CI") != null, "Icarus Verilog not installed");
        List<String> ic = new ArrayList<>(List.of(String.valueOf(iverilog), "-g2005", "-Wall", "-s", d.top(), "-o",
                tmp.resolve("conv.vvp").toString()));
        d.verilogFiles().forEach(f -> ic.add(dir.resolve(f).toString()));
        r = ExternalTool.run(ic, dir, tmp.resolve("iverilog-conv.log"), Duration.ofMinutes(2));
        assertEquals("", r.output().strip());
        assertEquals(0, r.exitCode());
    }

    @Test
    void verilatorLintIsClean() {
        VerilatorRequired.check();
        Design d = generate();
        List<String> cmd = new ArrayList<>(List.of(Verilator.locate().executable().toString(), "--lint-only", "-Wall",
                "--top-module", d.top()));
        d.verilogFiles().forEach(f -> cmd.add(tmp.resolve(f).toString()));
        ExternalTool.Result r = ExternalTool.run(cmd, tmp, tmp.resolve("lint.log"), Duration.ofMinutes(2));
        assertEquals("", r.output().strip());
        assertEquals(0, r.exitCode());
    }

    @Test
    void icarusCompilesItAsVerilog2005() {
        Path iverilog = ExternalTool.locate(System.getenv(), "IVERILOG", "iverilog");
        assumeTrue(iverilog != null || System.getenv("CI") != null, "Icarus Verilog not installed");
        Design d = generate();
        List<String> cmd = new ArrayList<>(List.of(String.valueOf(iverilog), "-g2005", "-Wall", "-s", d.top(), "-o",
                tmp.resolve("a.vvp").toString()));
        d.verilogFiles().forEach(f -> cmd.add(tmp.resolve(f).toString()));
        ExternalTool.Result r = ExternalTool.run(cmd, tmp, tmp.resolve("iverilog.log"), Duration.ofMinutes(2));
        assertEquals("", r.output().strip());
        assertEquals(0, r.exitCode());
    }

    @Test
    void yosysReadsTheFolderWithoutSpecialFlags() {
        Path yosys = ExternalTool.locate(System.getenv(), "YOSYS", "yosys");
        assumeTrue(yosys != null || System.getenv("CI") != null, "Yosys not installed (and CI unset): skipping");
        Design d = generate();
        StringBuilder script = new StringBuilder("read_verilog");
        d.verilogFiles().forEach(f -> script.append(' ').append(f));
        script.append("; synth_ice40");
        ExternalTool.Result r = ExternalTool.run(List.of(String.valueOf(yosys), "-q", "-p", script.toString()), tmp,
                tmp.resolve("yosys.log"), Duration.ofMinutes(5));
        assertEquals(0, r.exitCode(), r.output());
    }
}
