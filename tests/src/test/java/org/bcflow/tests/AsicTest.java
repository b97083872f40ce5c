package org.bcflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.tools.ExternalTool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bcflow asic} with the real qflow, OSU cell library and Icarus, on a small network. */
class AsicTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void needsTools() {
        boolean present = ExternalTool.locate(System.getenv(), "QFLOW", "qflow") != null
                && Files.isDirectory(Path.of("/usr/share/qflow/tech/osu018"))
                && ExternalTool.locate(System.getenv(), "IVERILOG", "iverilog") != null;
        assumeTrue(present || System.getenv("CI") != null, "qflow, qflow-tech-osu018 or Icarus missing (and CI unset): skipping");
    }

    /** A 16-8-10 network of random weights, generated two lanes wide. */
    private Path design() {
        Path net = tmp.resolve("net.bcnet");
        NetworkFile.write(RandomNetwork.create(3, new int[] {16, 8, 10}, new int[] {8, 2}), net);
        Path rtl = tmp.resolve("rtl");
        Cli r = Cli.run("rtl", "--network", net.toString(), "--pe", "2", "--simd", "4", "--out", rtl.toString());
        assertEquals(0, r.exitCode(), r.err());
        return rtl;
    }

    @Test
    void aSmallNetworkIsMappedTimedAndItsNetlistMatchesTheReference() throws Exception {
        Path rtl = design();
        Path data = UserWorkTest.bands(tmp.resolve("data"), 24, 4);
        Cli r = Cli.run("asic", "--rtl", rtl.toString(), "--data", data.toString(), "--gate-images", "24", "--jobs", "2",
                "--clock-mhz", "100");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("0 mismatches on 24 images"), r.out());

        Path asic = rtl.resolve("asic");
        JsonNode doc = new ObjectMapper().readTree(asic.resolve("asic.json").toFile());
        assertEquals("osu018", doc.get("technology").asText());
        assertTrue(doc.at("/cells/total").asInt() > 100, doc.toString());
        assertTrue(doc.at("/cells/flip_flops").asInt() > 0);
        assertTrue(doc.at("/cells/area_um2").asDouble() > 0);
        assertEquals(doc.at("/cells/total").asInt(), sum(doc.at("/cells/by_type")));
        double fmax = doc.at("/timing/fmax_mhz").asDouble();
        assertTrue(fmax > 20 && fmax < 2000, "Fmax " + fmax);
        assertEquals(fmax >= 100, doc.at("/timing/meets_clock").asBoolean());
        long interval = doc.at("/throughput/interval_cycles").asLong();
        assertEquals(Math.round(Math.min(100, fmax) * 1e6 / interval), doc.at("/throughput/images_per_second").asLong(), 1);

        var errors = ReportSchemaTest.schema("asic").validate(doc);
        assertTrue(errors.isEmpty(), "asic.json against asic.schema.json: " + errors);
        JsonNode gate = doc.get("gate_level");
        assertTrue(gate.get("passed").asBoolean(), gate.toString());
        assertEquals(24, gate.get("images").asInt());
        assertEquals(0, gate.get("mismatches").asInt());
        assertEquals(interval, gate.get("interval_measured").asLong());
        assertEquals(gate.get("latency_predicted").asLong(), gate.get("latency_measured").asLong());
        assertTrue(gate.get("netlist").get(1).asText().endsWith("osu018_stdcells.v"), gate.toString());
        assertTrue(gate.get("simulator").asText().startsWith("Icarus"), gate.toString());

        // what the report names is there, beside it, and nothing of the staging is left
        assertTrue(Files.isRegularFile(asic.resolve(doc.get("netlist").asText())), doc.get("netlist").asText());
        assertEquals(asic.resolve(doc.get("netlist").asText()).toString(), asic.resolve(gate.get("netlist").get(0).asText()).toString());
        for (String stage : List.of("flatten", "synthesize", "sta")) {
            assertTrue(Files.isRegularFile(asic.resolve("logs").resolve(stage + ".log")), stage);
            assertTrue(doc.at("/stage_seconds/" + stage).asDouble() > 0, stage);
        }
        for (Path dir : List.of(rtl, asic)) {
            try (var s = Files.list(dir)) {
                assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".bcflow-partial")).toList());
            }
        }
    }

    private static int sum(JsonNode byType) {
        int n = 0;
        for (JsonNode v : byType) {
            n += v.asInt();
        }
        return n;
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws Exception {
        Path rtl = design();
        Path data = UserWorkTest.bands(tmp.resolve("data"), 4, 4);
        Path asic = rtl.resolve("asic");
        CliErrorsTest.assertOneLineError(Cli.run("asic", "--rtl", rtl.toString(), "--data", data.toString(), "--tech", "osu999"),
                "--tech takes one of osu018, osu035, osu050; got 'osu999'");
        CliErrorsTest.assertOneLineError(Cli.run("asic", "--rtl", tmp.resolve("nothing").toString(), "--data", data.toString()),
                "nothing");
        Cli noQflow = Cli.runWithEnvironment(Map.of("QFLOW", "/nonexistent/qflow"), tmp, "asic", "--rtl", rtl.toString(),
                "--data", data.toString());
        CliErrorsTest.assertOneLineError(noQflow, "qflow");
        assertTrue(noQflow.err().contains("apt-get install"), noQflow.err());
        assertFalse(Files.exists(asic));

        // a stage that fails names itself and its log, and leaves no asic folder
        Path top = rtl.resolve("bcnet.v");
        Files.writeString(top, Files.readString(top).replaceFirst("endmodule", "endmodul"));
        Cli broken = Cli.run("asic", "--rtl", rtl.toString(), "--data", data.toString());
        CliErrorsTest.assertOneLineError(broken, "asic stage flatten failed: ");
        assertFalse(Files.exists(asic));
        var log = java.util.regex.Pattern.compile("\\(log: (\\S+flatten\\.log)\\)").matcher(broken.err());
        assertTrue(log.find(), broken.err());
        Path kept = Path.of(log.group(1));
        assertTrue(Files.readString(kept).contains("ERROR"), "the log named is kept, and is the stage's");
        try (var files = Files.list(kept.getParent())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(kept.getParent());
    }
}
