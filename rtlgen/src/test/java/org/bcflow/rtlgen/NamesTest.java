package org.bcflow.rtlgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bcflow.core.BcflowException;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every name the generator writes must build: no keyword, no name twice, no primitive overwritten. */
class NamesTest {
    private static final Network NET = RandomNetwork.create(8, new int[] {12, 6, 3}, new int[] {8, 2});

    @TempDir
    Path tmp;

    /** NET with layer i renamed. */
    private static Network renamed(int i, String name) {
        DenseLayer l = NET.layer(i);
        return NET.withLayer(i, new DenseLayer(name, l.weights(), l.inputBits(), l.mul(), l.add(), l.shift()));
    }

    private void refusedWithNothingWritten(RtlGenerator gen, Network net, String... parts) throws IOException {
        Path out = tmp.resolve("rtl");
        BcflowException e = assertThrows(BcflowException.class, () -> gen.generate(net, Folding.forInputRate(net, null, null, 1), out));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
        try (var files = Files.list(tmp)) {
            assertTrue(files.findAny().isEmpty(), "something was written");
        }
    }

    private static BcflowException topRefused(String top) {
        return assertThrows(BcflowException.class, () -> new RtlGenerator(top, 1), top);
    }

    @Test
    void aKeywordIsNotATopModuleName() {
        for (String kw : List.of("input", "module", "wire", "begin", "end", "always", "generate", "signed", "reg", "assign",
                "endmodule", "uwire", "library", "pulsestyle_onevent")) {
            BcflowException e = topRefused(kw);
            assertTrue(e.getMessage().contains("top module name '" + kw + "'") && e.getMessage().contains("Verilog keyword"),
                    e.getMessage());
        }
    }

    @Test
    void aSystemVerilogKeywordIsNotATopModuleNameForVerilator() {
        for (String kw : List.of("logic", "int", "bit", "final", "class", "interface", "string")) {
            BcflowException e = topRefused(kw);
            assertTrue(e.getMessage().contains("SystemVerilog keyword"), e.getMessage());
        }
    }

    @Test
    void theTopMayNotTakeAPrimitivesOrTheHarnessModuleName() {
        for (String name : List.of("bc_input", "bc_rom", "bc_addtree", "bc_dense", "bc_argmax", "BC_Dense")) {
            BcflowException e = topRefused(name);
            assertTrue(e.getMessage().contains("top module name '" + name + "'") && e.getMessage().contains("primitive"),
                    e.getMessage());
        }
        for (String name : List.of("bcflow_tap", "bcflow_tb")) {
            BcflowException e = topRefused(name);
            assertTrue(e.getMessage().contains("top module name '" + name + "'") && e.getMessage().contains("verify"),
                    e.getMessage());
        }
        BcflowException e = topRefused("9lives");
        assertTrue(e.getMessage().contains("not a Verilog identifier"), e.getMessage());
    }

    @Test
    void layerNamesThatCollideWithGeneratedNamesAreRefused() throws IOException {
        RtlGenerator gen = new RtlGenerator("bcnet", 1);
        refusedWithNothingWritten(gen, renamed(0, "input"), "layer 'input'", "u_input", "bc_input");
        refusedWithNothingWritten(gen, renamed(1, "argmax"), "layer 'argmax'", "u_argmax", "bc_argmax");
        refusedWithNothingWritten(gen, renamed(0, "pixels"), "layer 'pixels'", "pixels_valid");
        refusedWithNothingWritten(gen.withScores(false), renamed(1, "input"), "layer 'input'");
    }

    @Test
    void keywordsAreNotLayerNames() throws IOException {
        RtlGenerator gen = new RtlGenerator("bcnet", 1);
        for (String kw : List.of("wire", "signed", "module", "begin", "logic")) {
            refusedWithNothingWritten(gen, renamed(1, kw), "layer '" + kw + "'", "keyword");
        }
    }

    @Test
    void plainNamesStillGenerate() throws IOException {
        List<String> names = new ArrayList<>(List.of("dense0", "hidden_a", "pixels2", "inputs", "u", "word", "my_argmax"));
        for (int k = 0; k < names.size(); k++) {
            Network net = renamed(0, names.get(k));
            Path out = tmp.resolve("ok" + k);
            new RtlGenerator("my_top", 1).generate(net, Folding.forInputRate(net, null, null, 1), out);
            assertTrue(Files.isRegularFile(out.resolve("my_top.v")));
        }
    }

    @Test
    void everyKeywordOfBothListsIsRefused() {
        assertEquals(124, VerilogNames.VERILOG_2005_KEYWORDS.size()); // IEEE 1364-2005 Annex B: 102 of 1995, 21 of 2001, uwire
        for (String kw : VerilogNames.VERILOG_2005_KEYWORDS) {
            assertTrue(topRefused(kw).getMessage().contains("is a Verilog keyword"), kw);
        }
        for (String kw : VerilogNames.SYSTEMVERILOG_KEYWORDS) {
            assertFalse(VerilogNames.VERILOG_2005_KEYWORDS.contains(kw), kw + " is listed twice");
            assertTrue(topRefused(kw).getMessage().contains("is a SystemVerilog keyword"), kw);
        }
    }

    @Test
    void theEmitterDeclaresEveryNameItWrites() {
        for (boolean scores : new boolean[] {true, false}) {
            RtlGenerator gen = new RtlGenerator("bcnet", 2).withScores(scores);
            Design d = gen.plan(NET, Folding.forInputRate(NET, null, null, 2));
            TopEmitter emitter = new TopEmitter(NET, d);
            String text = emitter.emit();
            Set<String> written = new HashSet<>();
            Matcher ports = Pattern.compile("^\\s+(?:input|output)\\s+wire\\s+(?:\\[[^]]*])?\\s*(\\w+)", Pattern.MULTILINE).matcher(text);
            while (ports.find()) {
                written.add(ports.group(1));
            }
            Matcher wires = Pattern.compile("^\\s+wire\\s+(?:\\[[^]]*])?\\s*([\\w, ]+);", Pattern.MULTILINE).matcher(text);
            while (wires.find()) {
                for (String w : wires.group(1).split(",")) {
                    written.add(w.strip());
                }
            }
            Matcher instances = Pattern.compile("^\\s+(?:\\)\\s+)?(\\w+)\\s+\\($", Pattern.MULTILINE).matcher(text);
            while (instances.find()) {
                written.add(instances.group(1));
            }
            assertTrue(written.contains("u_dense1") && written.contains("pixels_data") && written.contains("clk"), written.toString());
            assertEquals(emitter.names(), written);
        }
    }

    @Test
    void aDesignWithPlainNamesPassesVerilatorsLint() throws Exception {
        Assumptions.assumeTrue(onPath("verilator"), "verilator not installed");
        Network net = renamed(1, "word");
        Path out = tmp.resolve("lint");
        Design d = new RtlGenerator("my_top", 1).generate(net, Folding.forInputRate(net, null, null, 1), out);
        List<String> cmd = new ArrayList<>(List.of("verilator", "--lint-only", "-Wall", "--top-module", d.top()));
        cmd.addAll(d.verilogFiles());
        Process p = new ProcessBuilder(cmd).directory(out.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "verilator did not finish");
        assertEquals(0, p.exitValue(), log);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
