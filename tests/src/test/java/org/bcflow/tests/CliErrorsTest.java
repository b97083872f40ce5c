package org.bcflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.bcflow.core.Architecture;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.Cifar10Writer;
import org.bcflow.core.data.LabeledImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets one clear line, a non-zero exit, and no half-written output. */
class CliErrorsTest {
    @TempDir
    Path tmp;

    /** Exit 2, one line on stderr holding {@code expected}, no stack trace. */
    static void assertOneLineError(Cli r, String expected) {
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.errorLines().size(), "expected one line, got: " + r.err());
        assertTrue(r.errorLines().get(0).contains(expected), r.errorLines().get(0));
        assertFalse(r.err().contains("\tat "), "stack trace printed: " + r.err());
    }

    private Path network() {
        Path f = tmp.resolve("net.bcnet");
        NetworkFile.write(RandomNetwork.create(1, new int[] {16, 8, 10}, new int[] {8, 4}), f);
        return f;
    }

    @Test
    void helpForEveryCommand() {
        Cli top = Cli.run("--help");
        assertEquals(0, top.exitCode());
        for (String cmd : new String[] {"train", "export", "rtl", "verify", "flow"}) {
            assertTrue(top.out().contains(cmd), cmd);
            Cli r = Cli.run(cmd, "--help");
            assertEquals(0, r.exitCode(), cmd);
            assertTrue(r.out().contains("usage: bcflow " + cmd), r.out());
            assertTrue(r.out().contains("--"), r.out());
        }
    }

    @Test
    void unknownCommandAndOption() {
        assertOneLineError(Cli.run("synthesize"), "unknown command 'synthesize'");
        assertOneLineError(Cli.run("rtl", "--nonsense"), "Unrecognized option: --nonsense");
        assertOneLineError(Cli.run("train", "--epochs", "many"), "--epochs takes a whole number, got 'many'");
    }

    @Test
    void unknownPresetWritesNothing() {
        Path out = tmp.resolve("preset-out");
        assertOneLineError(Cli.run("flow", "--preset", "hx1k-cnn", "--out", out.toString()),
                "--preset takes hx8k-mlp, hx8k-cnn, paper-mnist-mlp or paper-cifar10, got 'hx1k-cnn'");
        assertFalse(java.nio.file.Files.exists(out), "flow wrote " + out);
    }

    @Test
    void missingNetworkFile() {
        Path out = tmp.resolve("rtl");
        assertOneLineError(Cli.run("rtl", "--network", tmp.resolve("none.bcnet").toString(), "--out", out.toString()),
                "network file not found: " + tmp.resolve("none.bcnet"));
        assertFalse(Files.exists(out));
    }

    @Test
    void badFoldingTargets() {
        Path out = tmp.resolve("rtl");
        String net = network().toString();
        assertOneLineError(Cli.run("rtl", "--network", net, "--target-rate", "fast", "--out", out.toString()),
                "--target-rate must be a positive number, got 'fast'");
        assertOneLineError(Cli.run("rtl", "--network", net, "--target-rate", "1000", "--target-cycles", "50", "--out",
                out.toString()), "--target-rate and --target-cycles both set a target: give one");
        assertOneLineError(Cli.run("rtl", "--network", net, "--input-buffer", "bram", "--out", out.toString()),
                "input buffer 'bram' is not one of auto, ram, registers");
        assertOneLineError(Cli.run("rtl", "--network", net, "--batchnorm", "dsp", "--out", out.toString()),
                "batch norm 'dsp' is not one of thresholds, muladd");
        assertOneLineError(Cli.run("rtl", "--network", net, "--fit", "hx8k", "--pe", "2", "--out", out.toString()),
                "--fit chooses the folding itself: leave out --pe");
        assertOneLineError(Cli.run("rtl", "--network", net, "--fit", "hx9k", "--out", out.toString()),
                "unknown iCE40 device 'hx9k'; known: hx8k, hx4k, hx1k, lp8k, lp4k, lp1k, lp384, up5k, up3k, u4k");
        assertOneLineError(Cli.run("rtl", "--network", net, "--fit", "hx8k", "--fit-margin", "100", "--out", out.toString()),
                "--fit-margin must be a percentage from 0 to below 100, got '100'");
        assertFalse(Files.exists(out));
    }

    @Test
    void flowRefusesBadHardwareOptionsBeforeTraining() {
        Path out = tmp.resolve("flow");
        org.junit.jupiter.api.Assumptions.assumeTrue(org.bcflow.core.tools.ExternalTool.locate(System.getenv(), "VERILATOR",
                "verilator") != null || System.getenv("CI") != null, "Verilator not installed");
        long t0 = System.nanoTime();
        assertOneLineError(Cli.run("flow", "--fit", "hx9k", "--epochs", "50", "--out", out.toString()),
                "unknown iCE40 device 'hx9k'");
        assertOneLineError(Cli.run("flow", "--batchnorm", "dsp", "--epochs", "50", "--out", out.toString()),
                "batch norm 'dsp' is not one of thresholds, muladd");
        assertOneLineError(Cli.run("flow", "--synth", "--device", "xc7a35t", "--epochs", "50", "--out", out.toString()),
                "unknown iCE40 device 'xc7a35t'");
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "refused only after training");
        assertFalse(Files.exists(out));
    }

    @Test
    void flowWithATrainedModelRefusesTrainingOptionsAndAMissingModel() {
        Path out = tmp.resolve("flow");
        assertOneLineError(Cli.run("flow", "--model", tmp.resolve("m.ckpt").toString(), "--epochs", "3", "--out", out.toString()),
                "--model is a trained model: --epochs (training) does not apply");
        assertOneLineError(Cli.run("flow", "--model", tmp.resolve("m.ckpt").toString(), "--import", tmp.resolve("m.onnx").toString(),
                "--out", out.toString()), "give --import or --model, not both");
        org.junit.jupiter.api.Assumptions.assumeTrue(org.bcflow.core.tools.ExternalTool.locate(System.getenv(), "VERILATOR",
                "verilator") != null || System.getenv("CI") != null, "Verilator not installed");
        assertOneLineError(Cli.run("flow", "--model", tmp.resolve("m.ckpt").toString(), "--out", out.toString()), "m.ckpt");
        assertFalse(Files.exists(out));
    }

    @Test
    void peThatDoesNotDivideTheLayer() throws IOException {
        Path out = tmp.resolve("rtl");
        assertOneLineError(Cli.run("rtl", "--network", network().toString(), "--pe", "3,5", "--out", out.toString()),
                "dense0: PE=3 does not divide its 8 outputs (legal: 1, 2, 4, 8)");
        assertFalse(Files.exists(out));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "only the network file may be there");
        }
    }

    @Test
    void rtlRefusesALayerOrderWithoutHardware() throws IOException {
        Path cnn = tmp.resolve("cnn.bcnet");
        NetworkFile.write(RandomNetwork.create(1, new FeatureMap(1, 8, 8), Architecture.parse("2C3-MP2-MP2-4"), new int[] {8, 2}), cnn);
        Path out = tmp.resolve("rtl");
        assertOneLineError(Cli.run("rtl", "--network", cnn.toString(), "--out", out.toString()),
                cnn + ": layer pool1 (maxpool): a max-pool must follow a conv layer directly in hardware");
        assertFalse(Files.exists(out));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "only the network file may be there");
        }
    }

    @Test
    void badArchitectures() throws IOException {
        Path data = UserWorkTest.bands(tmp.resolve("data"), 100, 8);
        Path out = tmp.resolve("out");
        String d = data.toString();
        String o = out.toString();
        assertOneLineError(Cli.run("train", "--data", d, "--arch", "4C3-MP3-10", "--out", o),
                "token 'MP3': a 3x3 pool does not divide its 8x8 input");
        assertOneLineError(Cli.run("train", "--data", d, "--arch", "4C9v-10", "--out", o),
                "token '4C9v': a 9x9 kernel is larger than its 8x8 input");
        assertOneLineError(Cli.run("train", "--data", d, "--arch", "0C3-10", "--out", o), "token '0C3': channels must be at least 1, got 0");
        assertOneLineError(Cli.run("train", "--data", d, "--arch", "4C4-10", "--out", o), "token '4C4': same padding needs an odd kernel");
        assertOneLineError(Cli.run("train", "--data", d, "--arch", "4X3-10", "--out", o), "token '4X3': not a layer");
        assertOneLineError(Cli.run("train", "--data", d, "--arch", "4C3-MP2", "--out", o),
                "token 'MP2': the last token must be the class count");
        assertOneLineError(Cli.run("train", "--data", d, "--arch", "4C3-3", "--out", o), "ends in 3 classes but the data has 10");
        assertOneLineError(Cli.run("train", "--data", d, "--arch", "4C3-10", "--hidden", "8", "--out", o),
                "give --arch or --hidden, not both");
        assertOneLineError(Cli.run("train", "--data", d, "--augment-shift", "2", "--out", o),
                "--augment-shift shifts images for a net with convolutions: give an --arch with conv layers");
        assertOneLineError(Cli.run("train", "--data", d, "--arch", "4C3-10", "--augment-shift", "9", "--out", o),
                "--augment-shift must be 0..8, got 9");
        assertOneLineError(Cli.run("flow", "--data", d, "--arch", "4C3-8FC-2C3-10", "--out", o),
                "token '2C3': a conv layer after a dense layer has no hardware");
        assertFalse(Files.exists(out));
    }

    @Test
    void truncatedIdxFile() throws IOException {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        writeIdx(data.resolve("train-images-idx3-ubyte"), 0x803, new int[] {10, 4, 4}, 160 - 7);
        writeIdx(data.resolve("train-labels-idx1-ubyte"), 0x801, new int[] {10}, 10);
        writeIdx(data.resolve("t10k-images-idx3-ubyte"), 0x803, new int[] {2, 4, 4}, 32);
        writeIdx(data.resolve("t10k-labels-idx1-ubyte"), 0x801, new int[] {2}, 2);
        Path out = tmp.resolve("out");
        assertOneLineError(Cli.run("train", "--data", data.toString(), "--out", out.toString()),
                "train-images-idx3-ubyte: truncated: header promises 160 values, file holds 153");
        assertFalse(Files.exists(out));
    }

    /** A name and a folder reach the data set's reader, which refuses a damaged file before anything trains. */
    @Test
    void colourDataSetsAfterTheirName() throws IOException {
        Path cifar = tmp.resolve("cifar");
        Cifar10Writer.writeFolder(colour(5), colour(2), cifar);
        Path batch = cifar.resolve("data_batch_3.bin");
        Files.write(batch, Arrays.copyOf(Files.readAllBytes(batch), 3073 - 73));
        Path out = tmp.resolve("out");
        assertOneLineError(Cli.run("train", "--data", "cifar10", cifar.toString(), "--epochs", "1", "--out", out.toString()),
                batch + ": 3000 bytes is not a whole number of 3073-byte records");
        assertOneLineError(Cli.run("train", "--data", "svhn", cifar.toString(), "--epochs", "1", "--out", out.toString()),
                "SVHN not found: looked in " + cifar + ", which lacks train_32x32.mat, test_32x32.mat");
        assertOneLineError(Cli.run("train", "--data", cifar.toString(), "--epochs", "1", "--out", out.toString()),
                "no IDX data set at " + cifar.resolve("train-images-idx3-ubyte"));
        assertFalse(Files.exists(out));
    }

    private static LabeledImages colour(int count) {
        return new LabeledImages(count, 3, 32, 32, new byte[count * 3 * 32 * 32], new byte[count], 10);
    }

    @Test
    void missingVerilator() throws Exception {
        Path rtl = tmp.resolve("rtl");
        assertEquals(0, Cli.run("rtl", "--network", network().toString(), "--out", rtl.toString()).exitCode());
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        writeIdx(data.resolve("train-images-idx3-ubyte"), 0x803, new int[] {2, 4, 4}, 32);
        writeIdx(data.resolve("train-labels-idx1-ubyte"), 0x801, new int[] {2}, 2);
        writeIdx(data.resolve("t10k-images-idx3-ubyte"), 0x803, new int[] {2, 4, 4}, 32);
        writeIdx(data.resolve("t10k-labels-idx1-ubyte"), 0x801, new int[] {2}, 2);
        Cli r = Cli.runWithEnvironment(Map.of("VERILATOR", "/nonexistent/verilator"), tmp,
                "verify", "--rtl", rtl.toString(), "--data", data.toString());
        assertOneLineError(r, "Verilator not found");
        assertTrue(r.err().contains("apt-get install verilator"), r.err());
        assertFalse(Files.exists(rtl.resolve("verify.json")));
    }

    private static void writeIdx(Path file, int magic, int[] dims, int dataBytes) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            for (int i = 0; i < dataBytes; i++) {
                out.write(magic == 0x801 ? i % 10 : i * 7);
            }
        }
    }
}
