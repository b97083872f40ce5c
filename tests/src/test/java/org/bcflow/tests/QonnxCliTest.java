package org.bcflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.data.Datasets;
import org.bcflow.qonnx.ElementType;
import org.bcflow.qonnx.Node;
import org.bcflow.qonnx.OnnxGraph;
import org.bcflow.qonnx.Tensor;
import org.bcflow.sim.Verilator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bcflow import and flow --import on the published Brevitas models, and bad models refused in one line. */
class QonnxCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The published models beside the checkout; on CI their absence is a failure, not a skip. */
    private static Path tfc(String file) {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("tests"))) {
            root = root.getParent();
        }
        Path f = root == null ? Path.of(file) : root.resolve("../shared/models/qonnx-tfc").resolve(file).normalize();
        boolean ci = System.getenv("CI") != null;
        assumeTrue(ci || Files.isRegularFile(f), "published QONNX models not beside the checkout: " + f);
        assumeTrue(ci || Files.isDirectory(Datasets.folderOf("mnist")), "MNIST not fetched (run ./bcflow setup)");
        assertTrue(Files.isRegularFile(f), f + " missing (CI is set)");
        return f;
    }

    private static void assertOneLineError(Cli r, String expected) {
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.errorLines().size(), "expected one line, got: " + r.err());
        assertTrue(r.errorLines().get(0).contains(expected), r.errorLines().get(0));
        assertFalse(r.err().contains("\tat "), "stack trace printed: " + r.err());
    }

    @Test
    void importWritesTheNetworkAndItsCheck() throws IOException {
        Path out = tmp.resolve("imported");
        Cli r = Cli.run("import", "--qonnx", tfc("TFC_1W1A.onnx").toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("MatMul_16 + BatchNormalization_17 + BipolarQuant_19 -> dense0"), r.out());
        var net = NetworkFile.read(out.resolve("network.bcnet"));
        assertEquals(128, net.quantizer().thresholds()[0]);
        JsonNode report = JSON.readTree(out.resolve("import.json").toFile());
        assertEquals(10_000, report.get("images").asInt());
        assertEquals(0.9296, report.get("model_accuracy").asDouble(), 1e-12);
        assertEquals(0.9296, report.get("network_accuracy").asDouble(), 1e-12);
        assertEquals(0, report.get("class_disagreements").asInt());
        assertEquals(0, report.get("activation_disagreements").asInt());
        assertEquals(10_000L * (784 + 3 * 64), report.get("activations_compared").asLong());
        var schema = ReportSchemaTest.schema("import");
        assertTrue(schema.validate(report).isEmpty(), schema.validate(report).toString());
        var planted = report.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) planted).put("unknown_field", 1);
        assertFalse(schema.validate(planted).isEmpty(), "the schema took an unknown field");
    }

    @Test
    void flowImportVerifiesTheImportedNetworkInVerilator() throws IOException {
        Path model = tfc("TFC_1W2A.onnx");
        assumeTrue(System.getenv("CI") != null || Verilator.available(), "Verilator not installed");
        Path out = tmp.resolve("flow");
        Cli r = Cli.run("flow", "--import", model.toString(), "--count", "500", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals(0.9474, report.at("/import/model_accuracy").asDouble(), 1e-12);
        assertEquals(0, report.at("/verify/mismatches").asInt());
        assertTrue(report.at("/verify/passed").asBoolean());
        assertTrue(report.at("/verify/cycles_per_image_predicted").asLong() > 0, report.toString());
        assertEquals(report.at("/verify/cycles_per_image_predicted").asLong(),
                report.at("/verify/cycles_per_image_measured").asLong());
        assertTrue(ReportSchemaTest.schema("report").validate(report).isEmpty(),
                ReportSchemaTest.schema("report").validate(report).toString());
        assertFalse(Files.exists(out.resolve("model.ckpt")));
    }

    @Test
    void aModelThatIsNotBinaryIsRefusedNamingTheNode() {
        OnnxGraph g = OnnxGraph.builder()
                .input("x", ElementType.FLOAT, 1, 4)
                .initializer("w", Tensor.of(new int[] {4, 2}, 1, -1, 0.5, 1, -1, 1, 1, -1))
                .node(Node.of("MatMul", List.of("x", "w"), List.of("y")).withName("fc1"))
                .output("y", ElementType.FLOAT, 1, 2)
                .build();
        Path f = tmp.resolve("half.onnx");
        g.write(f);
        Path out = tmp.resolve("half");
        assertOneLineError(Cli.run("import", "--qonnx", f.toString(), "--out", out.toString()), "node fc1 (op MatMul)");
        assertTrue(Cli.run("import", "--qonnx", f.toString(), "--out", out.toString()).err().contains("not ±1"));
        assertFalse(Files.exists(out));
    }

    @Test
    void aNetworkExportsToQonnxAndImportsBackToTheSameHash() throws IOException {
        assumeTrue(System.getenv("CI") != null || Files.isDirectory(Datasets.folderOf("mnist")), "MNIST not fetched");
        var net = org.bcflow.core.RandomNetwork.create(3, new int[] {784, 16, 10}, new int[] {8, 2});
        Path file = tmp.resolve("net.bcnet");
        NetworkFile.write(net, file);
        Path out = tmp.resolve("exported");
        Cli r = Cli.run("export", "--network", file.toString(), "--qonnx", "net.onnx", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("imports back as the same network"), r.out());
        Path back = tmp.resolve("back");
        Cli i = Cli.run("import", "--qonnx", out.resolve("net.onnx").toString(), "--out", back.toString());
        assertEquals(0, i.exitCode(), i.err());
        assertEquals(net.hash(), NetworkFile.read(back.resolve("network.bcnet")).hash());
        // the options export refuses
        assertOneLineError(Cli.run("export", "--network", file.toString(), "--qonnx", tmp.resolve("x.onnx").toString(), "--out",
                out.toString()), "--qonnx takes a file name ending in .onnx");
        assertOneLineError(Cli.run("export", "--network", file.toString(), "--out", tmp.resolve("none").toString()),
                "give --qonnx NAME.onnx");
        assertOneLineError(Cli.run("export", "--network", file.toString(), "--qonnx", "n.onnx", "--act-bits", "2", "--out",
                tmp.resolve("none").toString()), "--act-bits does not apply");
        assertFalse(Files.exists(tmp.resolve("none")));
    }

    @Test
    void badFilesAndOptionsAreOneLine() throws IOException {
        Path notOnnx = tmp.resolve("model.onnx");
        Files.writeString(notOnnx, "this is not a model\n");
        Path out = tmp.resolve("out");
        assertOneLineError(Cli.run("import", "--qonnx", notOnnx.toString(), "--out", out.toString()), notOnnx.toString());
        assertOneLineError(Cli.run("import", "--qonnx", tmp.resolve("none.onnx").toString(), "--out", out.toString()),
                "not found");
        assertOneLineError(Cli.run("import", "--out", out.toString()), "import needs --qonnx FILE");
        assertOneLineError(Cli.run("flow", "--import", notOnnx.toString(), "--epochs", "3", "--out", out.toString()),
                "--epochs (training) does not apply");
        assertFalse(Files.exists(out));
    }
}
