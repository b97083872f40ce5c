package org.bcflow.synth.asic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.bcflow.core.tools.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cell models written from the Liberty files: the function syntax, and every library's models lint clean in Verilator. */
class CellModelsTest {
    @Test
    void libertyFunctionsBecomeVerilog() {
        assertEquals("(~(A & B))", CellModels.expr("(!(A B))"));
        assertEquals("(~((S & A) | (~S & B)))", CellModels.expr("(!((S A) + (!S B)))"));
        assertEquals("((A ^ B) ^ C)", CellModels.expr("((A^B)^C)"));
        assertEquals("~A & B", CellModels.expr("A' B"));
        assertEquals("~(A | B) & C", CellModels.expr("(A+B)' * C"));
    }

    @Test
    void everyLibrarysModelsLintCleanAndHaveEveryCell(@TempDir Path tmp) throws Exception {
        var verilator = ExternalTool.locate(System.getenv(), "VERILATOR", "verilator");
        assumeTrue(Files.isDirectory(Technology.QFLOW_TECH) && verilator != null || System.getenv("CI") != null,
                "qflow's technologies or Verilator missing (and CI unset): skipping");
        for (Technology t : Technology.KNOWN) {
            Path v = CellModels.write(Technology.of(t.name()), tmp.resolve(t.name() + "_cells.v"));
            String text = Files.readString(v);
            CellLibrary lib = CellLibrary.read(t);
            for (String cell : lib.areas().keySet()) {
                if (!cell.startsWith("FILL") && !cell.contains("TAP")) {
                    assertTrue(Pattern.compile("(?m)^module " + cell + " \\(").matcher(text).find(), t.name() + ": no model of " + cell);
                }
            }
            var r = ExternalTool.run(List.of(verilator.toString(), "--lint-only", "-Wno-DECLFILENAME", "-Wno-MULTITOP", v.toString()),
                    tmp, tmp.resolve(t.name() + ".log"), Duration.ofMinutes(2));
            assertEquals(0, r.exitCode(), t.name() + ": " + r.output());
        }
    }
}
