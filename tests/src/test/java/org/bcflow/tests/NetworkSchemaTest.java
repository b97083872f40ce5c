package org.bcflow.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import java.io.IOException;
import java.nio.file.Path;
import org.bcflow.core.Architecture;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.RandomNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both versions of the network file against docs/schemas/bcnet.schema.json, written by
 * NetworkFile itself (ReportSchemaTest checks the file flow writes, when the tools are there).
 */
class NetworkSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private JsonNode written(org.bcflow.core.Network net) throws IOException {
        Path f = tmp.resolve("n.bcnet");
        NetworkFile.write(net, f);
        return JSON.readTree(f.toFile());
    }

    @Test
    void versionOneAndVersionTwoFilesAreValidAndEditsAreNot() throws IOException {
        Schema schema = ReportSchemaTest.schema("bcnet");
        JsonNode mlp = written(RandomNetwork.create(1, new int[] {12, 5, 3}, new int[] {8, 2}));
        assertTrue(schema.validate(mlp).isEmpty(), schema.validate(mlp).toString());
        JsonNode cnn = written(RandomNetwork.create(1, new FeatureMap(3, 6, 6), Architecture.parse("4C3-MP2-5C2v-4FC-3"),
                new int[] {8, 2, 3, 4}));
        assertTrue(schema.validate(cnn).isEmpty(), schema.validate(cnn).toString());

        ObjectNode kind = cnn.deepCopy();
        ((ObjectNode) kind.get("layers").get(1)).put("kind", "avgpool");
        assertFalse(schema.validate(kind).isEmpty(), "an unknown kind passed");
        ObjectNode noK = cnn.deepCopy();
        ((ObjectNode) noK.get("layers").get(0)).remove("k");
        assertFalse(schema.validate(noK).isEmpty(), "a conv layer without k passed");
        ObjectNode noInput = cnn.deepCopy();
        noInput.remove("input");
        assertFalse(schema.validate(noInput).isEmpty(), "version 2 without an input passed");
        ObjectNode v1WithKinds = cnn.deepCopy();
        v1WithKinds.put("version", 1);
        assertFalse(schema.validate(v1WithKinds).isEmpty(), "version 1 with conv layers passed");
    }

    @Test
    void versionThreeFilesAreValidAndMixedRequantizationIsNot() throws IOException {
        Schema schema = ReportSchemaTest.schema("bcnet");
        JsonNode mlp = written(RandomNetwork.withImportedStages(RandomNetwork.create(2, new int[] {12, 5, 4, 3}, new int[] {2, 2, 1}), 2, 8));
        assertTrue(mlp.get("version").asInt() == 3 && mlp.path("input").has("quantizer"), mlp.toString());
        assertTrue(schema.validate(mlp).isEmpty(), schema.validate(mlp).toString());
        JsonNode cnn = written(RandomNetwork.withImportedStages(RandomNetwork.create(2, new FeatureMap(1, 6, 6),
                Architecture.parse("4C3-MP2-3"), new int[] {2, 2}), 2, 8));
        assertTrue(schema.validate(cnn).isEmpty(), schema.validate(cnn).toString());
        ObjectNode mixed = mlp.deepCopy();
        ((ObjectNode) mixed.get("layers").get(0)).put("shift", 0);
        assertFalse(schema.validate(mixed).isEmpty(), "thresholds beside a shift passed");
        ObjectNode neither = mlp.deepCopy();
        ((ObjectNode) neither.get("layers").get(0)).remove("thresholds");
        assertFalse(schema.validate(neither).isEmpty(), "a layer with neither thresholds nor mul/add passed");
    }
}
