package org.bcflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExploreSpaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static ExploreSpace.Plan plan(String json) throws Exception {
        return ExploreSpace.plan("space.json", JSON.readTree(json), null);
    }

    private static String refusal(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        return assertThrows(ParseException.class, () -> ExploreSpace.plan("space.json", node, null)).getMessage();
    }

    @Test
    void everyCombinationIsAPointAndHardwareOnlyDifferencesShareAModel() throws Exception {
        ExploreSpace.Plan p = plan("""
                { "count": 100, "options": { "epochs": 2, "no-scores": true },
                  "axes": { "hidden": [[64], [128, 32]], "act-bits": [2, 4], "batchnorm": ["thresholds", "muladd"],
                            "fit": ["hx8k", "up5k"] } }""");
        assertEquals(16, p.points().size());
        assertEquals(2, p.models().size(), "act-bits, batchnorm and fit are hardware: one model per hidden list");
        assertEquals(List.of("--hidden", "128,32", "--epochs", "2"), p.models().values().stream().toList().get(1));
        assertEquals(16, p.points().stream().map(ExploreSpace.Point::id).distinct().count());
        ExploreSpace.Point first = p.points().get(0);
        assertEquals("hidden=[64] act-bits=2 thresholds hx8k", first.label());
        assertTrue(first.hardwareArgs().containsAll(List.of("--fit", "hx8k", "--device", "hx8k", "--no-scores")), first.hardwareArgs()
                .toString());
        assertEquals(100, p.count());
        assertEquals(List.of("mnist"), p.dataArgs());
        // ids depend on what a point runs, not on where it stands in the file
        ExploreSpace.Plan reordered = plan("""
                { "count": 100, "options": { "no-scores": true, "epochs": 2 },
                  "axes": { "fit": ["up5k", "hx8k"], "batchnorm": ["muladd", "thresholds"], "act-bits": [4, 2],
                            "hidden": [[128, 32], [64]] } }""");
        assertEquals(p.points().stream().map(ExploreSpace.Point::id).sorted().toList(),
                reordered.points().stream().map(ExploreSpace.Point::id).sorted().toList());
        assertNotEquals(p.points().get(0).id(), plan("""
                { "count": 200, "options": { "epochs": 2, "no-scores": true },
                  "axes": { "hidden": [[64]], "act-bits": [2], "batchnorm": ["thresholds"], "fit": ["hx8k"] } }""")
                .points().get(0).id(), "another count is another result");
    }

    @Test
    void aFlagSetToFalseIsLeftOutAndAnArchIsText() throws Exception {
        ExploreSpace.Plan p = plan("""
                { "data": ["mnist", "/data/mnist"], "axes": { "arch": ["8C3-MP2-16C3-MP2-10"], "no-scores": [false, true] } }""");
        assertEquals(2, p.points().size());
        assertEquals(List.of(), p.points().get(0).hardwareArgs());
        assertEquals(List.of("--no-scores"), p.points().get(1).hardwareArgs());
        assertEquals(List.of("mnist", "/data/mnist"), p.dataArgs());
        assertEquals(List.of("--arch", "8C3-MP2-16C3-MP2-10"), p.models().values().iterator().next());
    }

    @Test
    void badSpacesAreRefusedInOneLineNamingTheValue() throws Exception {
        String m = refusal("{ \"axes\": { \"act-bits\": [2, \"four\"] } }");
        assertTrue(m.startsWith("space.json: axis \"act-bits\", value \"four\": --act-bits"), m);
        assertTrue(refusal("{ \"axes\": {} }").contains("the space is empty"));
        assertTrue(refusal("{ \"axes\": { \"act-bits\": [] } }").contains("the space is empty: axis \"act-bits\" has no values"));
        assertTrue(refusal("{ \"options\": { \"epochs\": 2 } }").contains("the space is empty"));
        assertTrue(refusal("{ \"axes\": { \"colour\": [\"red\"] } }").contains("\"colour\" is not an option a point may set"));
        assertTrue(refusal("{ \"axes\": { \"out\": [\"x\"] } }").contains("\"out\" is not an option"));
        assertTrue(refusal("{ \"axes\": { \"fit\": [\"hx9k\"] } }").contains("value \"hx9k\""));
        assertTrue(refusal("{ \"axes\": { \"no-scores\": [\"yes\"] } }").contains("is a flag: give true or false"));
        assertTrue(refusal("{ \"axes\": { \"arch\": [\"64FC-10\"] }, \"options\": { \"hidden\": 32 } }").contains(
                "give --arch or --hidden, not both"));
        assertTrue(refusal("{ \"axes\": { \"act-bits\": [2, 2] } }").contains("an axis repeats a value"));
        assertTrue(refusal("{ \"axes\": { \"act-bits\": [2] }, \"count\": 0 }").contains("\"count\" must be"));
        assertTrue(refusal("{ \"axis\": { \"act-bits\": [2] } }").contains("unknown key \"axis\""));
        assertTrue(refusal("{ \"axes\": { \"act-bits\": 2 } }").contains("must be a list of values"));
        for (String bad : List.of(refusal("{ \"axes\": { \"act-bits\": [2, \"four\"] } }"), refusal("{ \"axes\": {} }"))) {
            assertEquals(1, bad.lines().count(), bad);
        }
    }

    @Test
    void filesAreReadAsJsonOrYaml() throws Exception {
        Path yaml = tmp.resolve("space.yaml");
        Files.writeString(yaml, """
                count: 50
                options: {epochs: 1}
                axes:
                  hidden: [[32], [64]]
                  act-bits: [2, 4]
                """);
        ExploreSpace.Plan p = ExploreSpace.read(yaml, null);
        assertEquals(4, p.points().size());
        assertEquals(2, p.models().size());
        assertEquals(7, ExploreSpace.read(yaml, 7).count(), "explore --count overrides the space's");
        Path broken = tmp.resolve("space.json");
        Files.writeString(broken, "{ \"axes\": ");
        String m = assertThrows(ParseException.class, () -> ExploreSpace.read(broken, null)).getMessage();
        assertTrue(m.startsWith(broken + ": not valid JSON/YAML"), m);
        assertEquals(1, m.lines().count(), m);
        assertTrue(assertThrows(ParseException.class, () -> ExploreSpace.read(tmp.resolve("none.json"), null)).getMessage()
                .startsWith("space file not found"));
    }
}
