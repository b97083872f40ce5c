package org.bcflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.bcflow.core.data.Datasets;
import org.bcflow.sim.Verilator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bcflow explore on this machine with the real tools: every point recorded (a failing one with its
 * error, without stopping the sweep), a rerun that skips what is finished, bad spaces refused.
 */
class ExploreTest {
    /**
     * Four points, one model: 2- and 4-bit activations, a folding that works and one that cannot (3
     * lanes over 8 neurons), so a sweep has finished and failed points. Small enough for minutes.
     */
    static final String SPACE = """
            { "data": "mnist", "count": 20,
              "options": { "epochs": 1, "train-limit": 1000, "hidden": [8], "simd": "16,8", "no-scores": true, "device": "hx8k" },
              "axes": { "act-bits": [2, 4], "pe": ["2,10", "3,10"] } }""";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeEach
    void needsTheTools() {
        boolean ci = System.getenv("CI") != null;
        assumeTrue(ci || Files.isDirectory(Datasets.folderOf("mnist")), "MNIST not fetched (run ./bcflow setup)");
        assumeTrue(ci || Verilator.available(), "Verilator not installed");
        assumeTrue(ci || onPath("nextpnr-ice40"), "nextpnr-ice40 not installed");
    }

    static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, name))) {
                return true;
            }
        }
        return false;
    }

    /** explore.csv's rows by point, each column by name. */
    static Map<String, Map<String, String>> rows(Path dir) throws IOException {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(dir.resolve("explore.csv"))))) {
            rows.put(r.get("point"), r.toMap());
        }
        return rows;
    }

    /** The rows without the wall times, which differ from run to run. */
    static Map<String, Map<String, String>> withoutTimes(Map<String, Map<String, String>> rows) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        rows.forEach((k, v) -> {
            Map<String, String> m = new LinkedHashMap<>(v);
            m.keySet().removeIf(c -> c.endsWith("_s") && !c.equals("images_per_s"));
            out.put(k, m);
        });
        return out;
    }

    static Path space(Path dir, String json) throws IOException {
        Path f = dir.resolve("space.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void aSweepRecordsEveryPointAndARerunSkipsTheFinishedOnes() throws Exception {
        Path out = tmp.resolve("sweep");
        Cli first = Cli.run("explore", "--space", space(tmp, SPACE).toString(), "--out", out.toString());
        assertEquals(0, first.exitCode(), first.err());
        Map<String, Map<String, String>> rows = rows(out);
        assertEquals(4, rows.size());
        List<Map<String, String>> ok = rows.values().stream().filter(r -> r.get("status").equals("ok")).toList();
        List<Map<String, String>> failed = rows.values().stream().filter(r -> r.get("status").equals("failed")).toList();
        assertEquals(2, ok.size(), rows.toString());
        assertEquals(2, failed.size(), rows.toString());
        for (Map<String, String> r : ok) {
            assertEquals("2,10", r.get("pe"));
            assertEquals("0", r.get("mismatches"));
            assertEquals("20", r.get("verified_images"));
            assertEquals(r.get("cycles_per_image"), r.get("cycles_measured"));
            assertTrue(Long.parseLong(r.get("logic_cells")) > 100, r.toString());
            assertTrue(Double.parseDouble(r.get("fmax_mhz")) > 10, r.toString());
            assertTrue(Double.parseDouble(r.get("images_per_s")) > 1000, r.toString());
            assertEquals("yes", r.get("fits"));
            assertTrue(Double.parseDouble(r.get("hw_accuracy")) > 0.2, r.toString());  // ten classes: chance is 0.1
            assertEquals("ice40-hx8k", r.get("device"));
            assertEquals("pe 2,10 simd 16,8", r.get("folding"));
            for (String stage : List.of("train_s", "export_s", "rtl_s", "verify_s", "synth_s")) {
                assertTrue(Double.parseDouble(r.get(stage)) > 0, stage + " " + r);
            }
        }
        for (Map<String, String> r : failed) {
            assertEquals("3,10", r.get("pe"));
            assertTrue(r.get("error").startsWith("bcflow flow: "), r.toString());
            assertEquals(1, r.get("error").lines().count());
            assertEquals("", r.get("logic_cells"));
        }
        try (Stream<Path> models = Files.list(out.resolve("models"))) {
            assertEquals(1, models.count(), "the points differ only in hardware: one model");
        }
        BufferedImage png = ImageIO.read(out.resolve("pareto.png").toFile());
        assertEquals(1200, png.getWidth());
        assertEquals(800, png.getHeight());
        JsonNode pareto = JSON.readTree(out.resolve("pareto.json").toFile());
        assertEquals(4, pareto.get("points").size());
        assertTrue(pareto.get("front").size() >= 1);
        pareto.get("front").forEach(id -> assertEquals("ok", rows.get(id.asText()).get("status")));
        assertTrue(first.out().contains("2 ok") && first.out().contains("2 failed"), first.out());
        assertEquals(List.of(), ReportSchemaTest.schema("pareto").validate(pareto), "pareto.json against its schema");
        com.fasterxml.jackson.databind.node.ObjectNode planted = (com.fasterxml.jackson.databind.node.ObjectNode) pareto.get("points").get(0);
        planted.put("planted_field", 1);
        assertFalse(ReportSchemaTest.schema("pareto").validate(pareto).isEmpty(), "a row with an unknown field passed");
        for (String id : rows.keySet()) {
            JsonNode result = JSON.readTree(out.resolve("results").resolve(id + ".json").toFile());
            assertEquals(List.of(), ReportSchemaTest.schema("explore-result").validate(result), id);
        }

        // a rerun: the finished points and the model are not run again, the failed ones are
        Map<String, FileTime> before = new LinkedHashMap<>();
        for (String id : rows.keySet()) {
            before.put(id, Files.getLastModifiedTime(out.resolve("results").resolve(id + ".json")));
        }
        Path model = Files.list(out.resolve("models")).findFirst().orElseThrow().resolve("train.json");
        FileTime trained = Files.getLastModifiedTime(model);
        Thread.sleep(1100);  // file times in whole seconds on some file systems
        Cli again = Cli.run("explore", "--space", tmp.resolve("space.json").toString(), "--out", out.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(trained, Files.getLastModifiedTime(model));
        for (String id : rows.keySet()) {
            FileTime now = Files.getLastModifiedTime(out.resolve("results").resolve(id + ".json"));
            if (rows.get(id).get("status").equals("ok")) {
                assertEquals(before.get(id), now, "finished point " + id + " was run again");
            } else {
                assertNotEquals(before.get(id), now, "failed point " + id + " was not tried again");
            }
        }
        assertEquals(withoutTimes(rows), withoutTimes(rows(out)));
    }

    /** A point whose hardware disagrees with the reference is recorded as such, and the sweep fails (exit 1). */
    @Test
    void aPointWithAPlantedFaultFailsTheSweep() throws Exception {
        Path out = tmp.resolve("faulty");
        String space = SPACE.replace("\"act-bits\": [2, 4], \"pe\": [\"2,10\", \"3,10\"]",
                "\"act-bits\": [2], \"pe\": [\"2,10\"], \"plant-fault\": [false, true]");
        Cli r = Cli.run("explore", "--space", space(tmp, space).toString(), "--out", out.toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        Map<String, Map<String, String>> rows = rows(out);
        assertEquals(2, rows.size());
        for (Map<String, String> row : rows.values()) {
            boolean planted = row.get("plant-fault").equals("true");
            assertEquals(planted ? "mismatch" : "ok", row.get("status"), row.toString());
            assertEquals(planted, Integer.parseInt(row.get("mismatches")) > 0, row.toString());
            assertEquals("20", row.get("verified_images"), row.toString());
        }
        JsonNode pareto = JSON.readTree(out.resolve("pareto.json").toFile());
        pareto.get("front").forEach(id -> assertEquals("ok", rows.get(id.asText()).get("status"), "a mismatching point on the front"));
    }

    @Test
    void badSpacesAreOneLineAndWriteNothing() throws Exception {
        Path out = tmp.resolve("out");
        List<String> bad = List.of("{ \"axes\": { \"act-bits\": [2, \"four\"] } }", "{ \"axes\": {} }",
                "{ \"axes\": { \"act-bits\": [] } }", "{ \"axes\": { \"colour\": [1] } }", "{ \"axes\": ");
        for (String json : bad) {
            Cli r = Cli.run("explore", "--space", space(tmp, json).toString(), "--out", out.toString());
            assertEquals(2, r.exitCode(), json + ": " + r.err());
            assertEquals(1, r.errorLines().size(), r.err());
            assertTrue(r.errorLines().get(0).startsWith("bcflow explore: " + tmp.resolve("space.json")), r.err());
            assertFalse(Files.exists(out), json + " left " + out);
        }
        assertTrue(Cli.run("explore", "--space", space(tmp, bad.get(0)).toString()).errorLines().get(0)
                .contains("axis \"act-bits\", value \"four\": --act-bits"));
        // a folder whose 'points' explore did not make is not used
        Files.createDirectories(out.resolve("points"));
        Files.writeString(out.resolve("points").resolve("mine.txt"), "a user's file");
        Cli r = Cli.run("explore", "--space", space(tmp, SPACE).toString(), "--out", out.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.errorLines().get(0).contains("exists and explore did not make it"), r.err());
        assertEquals("a user's file", Files.readString(out.resolve("points").resolve("mine.txt")));
        List<String> left = new ArrayList<>();
        try (Stream<Path> s = Files.list(out)) {
            s.forEach(p -> left.add(p.getFileName().toString()));
        }
        assertEquals(List.of("points"), left.stream().filter(n -> !n.startsWith(".bcflow.lock")).sorted().toList());
    }
}
