package org.bcflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.bcflow.core.tools.ExternalTool;
import org.bcflow.sim.Verilator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file bcflow writes for people and programs to read, made by the real commands on a tiny
 * network, against its JSON Schema in docs/schemas: a renamed, missing or unknown field fails here
 * before it reaches a user's script.
 */
class ReportSchemaTest {
    private static final Path SCHEMAS = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/schemas");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path flow;
    static Path train;
    static Path bench;
    static Path cnnTrain;
    static Path cnnBench;

    @BeforeAll
    static void runTheCommands() throws Exception {
        boolean ci = System.getenv("CI") != null;
        Map<String, String> env = System.getenv();
        assumeTrue(ci || Verilator.available() && ExternalTool.locate(env, "YOSYS", "yosys") != null
                && ExternalTool.locate(env, "NEXTPNR_ICE40", "nextpnr-ice40") != null
                && ExternalTool.locate(env, "QFLOW", "qflow") != null, "Verilator, Yosys, nextpnr or qflow missing");
        Path data = UserWorkTest.bands(tmp.resolve("data"), 400, 8);
        flow = tmp.resolve("flow");
        // --fit, --synth and --asic: report.json with every optional part; verify again with backpressure for its part
        run("flow", "--data", data.toString(), "--out", flow.toString(), "--hidden", "8", "--epochs", "1",
                "--no-validation", "--act-bits", "2", "--count", "20", "--fit", "hx8k", "--synth", "--asic", "--gate-images", "10");
        run("verify", "--rtl", flow.resolve("rtl").toString(), "--data", data.toString(), "--count", "20",
                "--backpressure", "200,300");
        train = tmp.resolve("train");
        run("train", "--data", data.toString(), "--out", train.toString(), "--hidden", "8", "--epochs", "1",
                "--no-validation");
        bench = tmp.resolve("bench");
        run("bench-train", "--out", bench.toString(), "--hidden", "8", "--steps", "2", "--no-peer");
        cnnTrain = tmp.resolve("cnn-train");
        run("train", "--data", data.toString(), "--out", cnnTrain.toString(), "--arch", "4C3-MP2-8FC-10", "--epochs", "1",
                "--no-validation", "--train-act-bits", "2");
        cnnBench = tmp.resolve("cnn-bench");
        run("bench-train", "--out", cnnBench.toString(), "--arch", "4C3-MP2-8FC-10", "--input", "3x8x8", "--steps", "2",
                "--no-peer", "--profile");
        // kept beside the build, to read when a schema and a report part ways
        Path samples = Files.createDirectories(Path.of("target", "report-samples"));
        for (Path f : List.of(flow.resolve("report.json"), flow.resolve("rtl/verify.json"), flow.resolve("rtl/design.json"),
                flow.resolve("rtl/synth/synth.json"), flow.resolve("network.bcnet"), train.resolve("train.json"),
                bench.resolve("bench.json"))) {
            Files.copy(f, samples.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void run(String... args) {
        Cli r = Cli.run(args);
        assertEquals(0, r.exitCode(), String.join(" ", args) + "\n" + r.out() + r.err());
    }

    /** A schema by its file, so that its references to the others ("synth.schema.json#/$defs/estimate") resolve beside it. */
    static Schema schema(String name) {
        String folder = SCHEMAS.toUri().toString();
        // the validator fetches nothing by itself: the files of docs/schemas are handed to it by their address
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(iri -> iri.startsWith(folder) ? read(Path.of(URI.create(iri))) : null));
        return registry.getSchema(SchemaLocation.of(SCHEMAS.resolve(name + ".schema.json").toUri().toString()));
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(Path f) throws IOException {
        return JSON.readTree(f.toFile());
    }

    private static void assertValid(String schema, Path file) throws IOException {
        List<Error> errors = schema(schema).validate(json(file));
        assertTrue(errors.isEmpty(), file + " against " + schema + ".schema.json: " + errors);
    }

    @Test
    void flowReport() throws IOException {
        JsonNode report = json(flow.resolve("report.json"));
        assertTrue(report.has("fit") && report.has("synth") && report.has("asic"), "every optional part is there to be checked");
        assertTrue(report.at("/asic/gate_level/passed").asBoolean(), report.get("asic").toString());
        assertValid("asic", flow.resolve("rtl/asic/asic.json"));
        assertValid("report", flow.resolve("report.json"));
    }

    @Test
    void verifyReport() throws IOException {
        assertTrue(json(flow.resolve("rtl/verify.json")).has("backpressure"));
        assertValid("verify", flow.resolve("rtl/verify.json"));
    }

    @Test
    void synthReport() throws IOException {
        assertValid("synth", flow.resolve("rtl/synth/synth.json"));
    }

    @Test
    void design() throws IOException {
        assertValid("design", flow.resolve("rtl/design.json"));
    }

    @Test
    void networkFile() throws IOException {
        assertValid("bcnet", flow.resolve("network.bcnet"));
    }

    @Test
    void trainReport() throws IOException {
        assertValid("train", train.resolve("train.json"));
    }

    @Test
    void benchReport() throws IOException {
        assertValid("bench", bench.resolve("bench.json"));
    }

    @Test
    void reportsOfAConvNet() throws IOException {
        assertValid("train", cnnTrain.resolve("train.json"));
        assertValid("bench", cnnBench.resolve("bench.json"));
    }

    private static Map<String, Path> samples() {
        return Map.of("report", flow.resolve("report.json"), "verify", flow.resolve("rtl/verify.json"),
                "synth", flow.resolve("rtl/synth/synth.json"), "asic", flow.resolve("rtl/asic/asic.json"),
                "design", flow.resolve("rtl/design.json"),
                "bcnet", flow.resolve("network.bcnet"), "train", train.resolve("train.json"), "bench", bench.resolve("bench.json"));
    }

    /** Each schema refuses its real file with an unknown field planted in it, or with any one required field taken out. */
    @Test
    void everySchemaRefusesAnUnknownOrAMissingField() throws IOException {
        for (var e : samples().entrySet()) {
            Schema schema = schema(e.getKey());
            ObjectNode planted = (ObjectNode) json(e.getValue());
            planted.put("planted_field", 1);
            assertFalse(schema.validate(planted).isEmpty(), e.getKey() + ": an unknown field passed");
            JsonNode required = JSON.readTree(SCHEMAS.resolve(e.getKey() + ".schema.json").toFile()).get("required");
            assertTrue(required.size() > 3, e.getKey());
            for (JsonNode field : required) {
                ObjectNode missing = (ObjectNode) json(e.getValue());
                missing.remove(field.asText());
                assertFalse(schema.validate(missing).isEmpty(), e.getKey() + ": passed without " + field);
            }
        }
    }

    /** The same deeper down, and through the references from one schema to another. */
    @Test
    void aPlantedWrongFieldFails() throws IOException {
        ObjectNode renamed = (ObjectNode) json(flow.resolve("rtl/verify.json"));
        renamed.set("cycles_per_image", renamed.remove("cycles_per_image_measured"));
        assertFalse(schema("verify").validate(renamed).isEmpty(), "a renamed verify.json field passed");

        ObjectNode missing = (ObjectNode) json(flow.resolve("rtl/design.json"));
        ((ObjectNode) missing.get("layers").get(0)).remove("pe");
        assertFalse(schema("design").validate(missing).isEmpty(), "a design.json layer without pe passed");

        ObjectNode camel = (ObjectNode) json(flow.resolve("report.json"));
        ((ObjectNode) camel.get("fit").get("model")).put("logicCells", 1);
        assertFalse(schema("report").validate(camel).isEmpty(), "a camelCase field in report.json's fit passed");

        ObjectNode nested = (ObjectNode) json(flow.resolve("report.json"));
        ((ObjectNode) nested.get("verify")).remove("mismatches");
        assertFalse(schema("report").validate(nested).isEmpty(), "report.json's verify passed without mismatches");

        ObjectNode gate = (ObjectNode) json(flow.resolve("report.json"));
        ((ObjectNode) gate.get("asic").get("gate_level")).remove("mismatches");
        assertFalse(schema("report").validate(gate).isEmpty(), "report.json's asic passed without the gate-level mismatches");

        ObjectNode synth = (ObjectNode) json(flow.resolve("rtl/synth/synth.json"));
        ((ObjectNode) synth.get("model")).put("luts", "many");
        assertFalse(schema("synth").validate(synth).isEmpty(), "a string for synth.json's model luts passed");
    }
}
