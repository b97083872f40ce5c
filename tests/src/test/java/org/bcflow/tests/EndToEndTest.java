package org.bcflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.Reference;
import org.bcflow.core.data.Datasets;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;
import org.bcflow.sim.Verilator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole flow on a tiny network and a slice of MNIST: train, export, RTL, Verilator. */
class EndToEndTest {
    @TempDir
    Path tmp;

    private static void requireMnistAndVerilator() {
        boolean ci = System.getenv("CI") != null;
        assumeTrue(ci || Files.isDirectory(Datasets.folderOf("mnist")), "MNIST not fetched (run ./bcflow setup)");
        assumeTrue(ci || Verilator.available(), "Verilator not installed");
    }

    @Test
    void flowOnATinyNetworkIsBitExactAndOnTime() throws Exception {
        requireMnistAndVerilator();
        Path out = tmp.resolve("out");
        flowOnTheTinyNetwork(out, "--epochs", "3", "--train-limit", "5000", "--act-bits", "3", "--pe", "4,2,5",
                "--simd", "16,8,16", "--count", "300");
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode v = report.get("verify");
        assertEquals("mnist", report.get("dataset").asText());
        assertEquals(10000, report.get("test_images").asInt());
        assertEquals(300, v.get("vectors").asInt());
        assertEquals(0, v.get("mismatches").asInt());
        assertEquals(v.get("cycles_per_image_predicted").asLong(), v.get("cycles_per_image_measured").asLong());
        assertEquals(v.get("latency_predicted").asLong(), v.get("latency_measured").asLong());
        assertEquals(v.get("reference_accuracy").asDouble(), v.get("hardware_accuracy").asDouble());
        assertTrue(report.get("accuracy").get("float").asDouble() > 0.75, report.toString());
        assertTrue(report.get("accuracy").get("integer").asDouble() > 0.75, report.toString());
        for (String f : new String[] {"model.ckpt", "network.bcnet", "rtl/bcnet.v", "rtl/dense0_weights.mem",
                "rtl/dense0_weights.coe", "rtl/dense0_weights.mif", "rtl/design.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }

        // the same folder re-checked by verify, then with one ROM bit flipped: the check must fail
        Cli again = Cli.run("verify", "--rtl", out.resolve("rtl").toString(), "--count", "100");
        assertEquals(0, again.exitCode(), again.err());
        plantWeightFault(out.resolve("rtl"));
        Cli broken = Cli.run("verify", "--rtl", out.resolve("rtl").toString(), "--count", "100");
        assertEquals(1, broken.exitCode(), broken.out() + broken.err());
        assertTrue(broken.out().contains("<-- first: image 0, dense2 neuron"), broken.out());
        JsonNode verify = new ObjectMapper().readTree(out.resolve("rtl/verify.json").toFile());
        assertTrue(verify.get("mismatches").asInt() > 0);
        JsonNode first = verify.get("first_divergence");
        assertEquals(0, first.get("image").asInt());
        assertEquals("dense2", first.get("layer").asText());
        assertTrue(Files.size(Path.of(verify.get("waveform").asText())) > 0);
    }

    @Test
    void flowChoosesTheFoldingForADeviceAndReportsWhy() throws Exception {
        requireMnistAndVerilator();
        Path out = tmp.resolve("out");
        Cli r = flowOnTheTinyNetwork(out, "--epochs", "2", "--train-limit", "3000", "--act-bits", "2", "--fit", "hx4k",
                "--fit-margin", "20", "--count", "100");
        assertTrue(r.err().contains("[fit] hx4k: folding "), r.err());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode fit = report.get("fit");
        assertEquals("hx4k", fit.get("device").asText());
        assertEquals(20.0, fit.get("margin_pct").asDouble());
        assertTrue(fit.get("model").get("block_rams").asInt() <= 20, fit.toString());
        assertTrue(fit.get("model").get("logic_cells").asLong() <= 3520 * 0.8, fit.toString());
        JsonNode design = report.get("design");
        assertEquals(design.get("interval_cycles").asLong(), fit.get("interval_cycles").asLong());
        JsonNode next = fit.get("next_faster");
        if (next.has("interval_cycles")) {
            assertTrue(next.get("interval_cycles").asLong() < fit.get("interval_cycles").asLong(), fit.toString());
        }
        assertEquals(0, report.get("verify").get("mismatches").asInt());
    }

    /** {@code bcflow flow} on MNIST with hidden layers 32-16 into {@code out}; it must succeed. */
    private static Cli flowOnTheTinyNetwork(Path out, String... options) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("flow", "--data", "mnist", "--out",
                out.toString(), "--hidden", "32,16"));
        args.addAll(java.util.List.of(options));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return r;
    }

    /** Flips, in the ROM file only, the weight of the first layer that matters most for image 0. */
    private static void plantWeightFault(Path rtl) {
        Network net = NetworkFile.read(rtl.resolve("network.bcnet"));
        LabeledImages test = org.bcflow.core.data.Datasets.load("mnist").test();
        Reference.Trace t = new Reference(net).run(test.image(0));
        DenseLayer last = net.layer(net.layers().size() - 1);
        // the winning score's neuron and its largest input: flipping that weight moves the score by 2 * input
        int neuron = t.predictedClass();
        long[] in = t.outputs()[net.layers().size() - 2];
        int input = 0;
        for (int j = 1; j < in.length; j++) {
            if (in[j] > in[input]) {
                input = j;
            }
        }
        assertTrue(in[input] > 0 && last.mul(neuron) != 0);
        Network faulty = net.withLayer(net.layers().size() - 1, last.withWeights(last.weights().withFlipped(neuron, input)));
        Design d = Design.read(rtl);
        Folding f = new Folding(d.layers().stream().map(l -> new org.bcflow.rtlgen.LayerFolding(l.pe(), l.simd())).toList());
        RtlGenerator.roms(faulty, new RtlGenerator(d.top(), d.pixelsPerBeat()).plan(faulty, f)).stream()
                .filter(rom -> rom.name().equals(last.name() + "_weights")).forEach(rom -> rom.writeAll(rtl));
    }
}
