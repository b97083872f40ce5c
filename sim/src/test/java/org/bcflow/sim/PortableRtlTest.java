package org.bcflow.sim;

import org.bcflow.core.tools.ExternalTool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.Architecture;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated Verilog is plain Verilog-2005: Verilator's lint and Icarus both accept it without a
 * warning, and Yosys reads the folder as it is (no -defer: every module elaborates with its default
 * parameters too) and maps it to an iCE40. Each check runs on an MLP and on a conv network.
 */
class PortableRtlTest {
    @TempDir
    Path tmp;

    /**
     * "mlp": a 64-16-8-10 MLP. "conv": a conv network with every streaming unit: a window in
     * registers over a padded image (conv0), a max-pool, a window from a buffer fed through a width
     * converter (conv1), a dense layer taking the map word by word and one taking it whole.
     */
    private Design generate(String kind) {
        if (kind.equals("mlp")) {
            Network net = RandomNetwork.create(5, new int[] {64, 16, 8, 10}, new int[] {8, 4, 3});
            return new RtlGenerator("bcnet", 2).generate(net, Folding.forInputRate(net, List.of(4, 1, 10), List.of(8, 16, 1), 2),
                    tmp);
        }
        Network net = RandomNetwork.create(5, new FeatureMap(1, 8, 8), Architecture.parse("4C3-MP2-6C3-5FC-3"), new int[] {8, 3, 2, 2});
        Folding f = new Folding(List.of(new LayerFolding(2, 3), new LayerFolding(3, 2), new LayerFolding(5, 3), new LayerFolding(3, 5)));
        return new RtlGenerator("bcnet", 1).generate(net, f, tmp);
    }

    /** Runs a tool on the design's files and requires it to say nothing and succeed. */
    private void silent(List<String> command, Design d, String log) {
        List<String> cmd = new ArrayList<>(command);
        d.verilogFiles().forEach(f -> cmd.add(tmp.resolve(f).toString()));
        ExternalTool.Result r = ExternalTool.run(cmd, tmp, tmp.resolve(log), Duration.ofMinutes(2));
        assertEquals("", r.output().strip());
        assertEquals(0, r.exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "conv"})
    void verilatorLintIsClean(String kind) {
        VerilatorRequired.check();
        Design d = generate(kind);
        silent(List.of(Verilator.locate().executable().toString(), "--lint-only", "-Wall", "--top-module", d.top()), d, "lint.log");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "conv"})
    void icarusCompilesItAsVerilog2005(String kind) {
        Path iverilog = ExternalTool.locate(System.getenv(), "IVERILOG", "iverilog");
        assumeTrue(iverilog != null || System.getenv("CI") != null, "Icarus Verilog not installed");
        Design d = generate(kind);
        silent(List.of(String.valueOf(iverilog), "-g2005", "-Wall", "-s", d.top(), "-o", tmp.resolve("a.vvp").toString()), d,
                "iverilog.log");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "conv"})
    void yosysReadsTheFolderWithoutSpecialFlags(String kind) {
        Path yosys = ExternalTool.locate(System.getenv(), "YOSYS", "yosys");
        assumeTrue(yosys != null || System.getenv("CI") != null, "Yosys not installed (and CI unset): skipping");
        Design d = generate(kind);
        StringBuilder script = new StringBuilder("read_verilog");
        d.verilogFiles().forEach(f -> script.append(' ').append(f));
        script.append("; synth_ice40");
        ExternalTool.Result r = ExternalTool.run(List.of(String.valueOf(yosys), "-q", "-p", script.toString()), tmp,
                tmp.resolve("yosys.log"), Duration.ofMinutes(5));
        assertEquals(0, r.exitCode(), r.output());
    }
}
