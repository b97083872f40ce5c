package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsExactly() {
        Network net = RandomNetwork.create(2, new int[] {30, 9, 5}, new int[] {8, 2});
        Path f = dir.resolve("n.bcnet");
        NetworkFile.write(net, f);
        Network back = NetworkFile.read(f);
        assertEquals(net.layers(), back.layers());
        assertEquals(net.hash(), back.hash());
        assertEquals(net.metadata(), back.metadata());
    }

    @Test
    void editedFileIsRefused() throws IOException {
        Network net = RandomNetwork.create(2, new int[] {30, 9, 5}, new int[] {8, 2});
        Path f = dir.resolve("n.bcnet");
        NetworkFile.write(net, f);
        String text = Files.readString(f);
        String first = net.layer(0).weights().rowHex(0);
        char flipped = first.charAt(0) == '0' ? '1' : '0';
        Files.writeString(f, text.replaceFirst(first, flipped + first.substring(1)));
        BcflowException e = assertThrows(BcflowException.class, () -> NetworkFile.read(f));
        assertTrue(e.getMessage().contains("does not match its hash"), e.getMessage());
    }

    @Test
    void missingOrForeignFilesGiveOneLine() throws IOException {
        BcflowException e = assertThrows(BcflowException.class, () -> NetworkFile.read(dir.resolve("none.bcnet")));
        assertEquals("network file not found: " + dir.resolve("none.bcnet"), e.getMessage());
        Path junk = Files.writeString(dir.resolve("junk"), "not json at all {");
        e = assertThrows(BcflowException.class, () -> NetworkFile.read(junk));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        Path other = Files.writeString(dir.resolve("other.json"), "{\"format\": \"onnx\"}");
        e = assertThrows(BcflowException.class, () -> NetworkFile.read(other));
        assertTrue(e.getMessage().contains("not a bcnet network file"), e.getMessage());
    }

    @Test
    void writeLeavesNoTemporaryFiles() throws IOException {
        NetworkFile.write(RandomNetwork.create(1, new int[] {4, 2}, new int[] {8}), dir.resolve("a.bcnet"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    /** Enough keys that an unsorted map would almost surely come out in another order. */
    static Map<String, String> manyKeys(boolean reversed) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add("key" + (char) ('a' + i % 26) + i);
        }
        if (reversed) {
            java.util.Collections.reverse(keys);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (String k : keys) {
            meta.put(k, "value of " + k);
        }
        return meta;
    }

    static Network networkWith(Map<String, String> meta) {
        Network net = RandomNetwork.create(5, new int[] {20, 7, 3}, new int[] {8, 2});
        return new Network(net.layers(), meta);
    }

    @Test
    void sameNetworkGivesTheSameBytes() throws IOException {
        Path a = dir.resolve("a.bcnet");
        Path b = dir.resolve("b.bcnet");
        Path c = dir.resolve("c.bcnet");
        NetworkFile.write(networkWith(manyKeys(false)), a);
        NetworkFile.write(networkWith(manyKeys(false)), b);
        NetworkFile.write(networkWith(new HashMap<>(manyKeys(true))), c);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(c));
    }

    @Test
    void metadataIsKeptAndWrittenSorted() throws IOException {
        Network net = networkWith(manyKeys(true));
        List<String> keys = new ArrayList<>(net.metadata().keySet());
        List<String> sorted = new ArrayList<>(keys);
        java.util.Collections.sort(sorted);
        assertEquals(sorted, keys);
        Path f = dir.resolve("n.bcnet");
        NetworkFile.write(net, f);
        List<String> written = new ArrayList<>();
        new ObjectMapper().readTree(f.toFile()).path("metadata").fieldNames().forEachRemaining(written::add);
        assertEquals(sorted, written);
    }

    @Test
    void anotherJvmWritesTheSameBytes() throws Exception {
        // Unsorted immutable maps iterate in an order chosen per JVM, so compare with a child JVM.
        Path mine = dir.resolve("mine.bcnet");
        Path child = dir.resolve("child.bcnet");
        NetworkFile.write(networkWith(manyKeys(false)), mine);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ChildWriter.class.getName(),
                child.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), output);
        assertTrue(Arrays.equals(Files.readAllBytes(mine), Files.readAllBytes(child)), "the child JVM wrote other bytes");
    }

    /** The child JVM of {@link #anotherJvmWritesTheSameBytes}. */
    public static final class ChildWriter {
        public static void main(String[] args) {
            NetworkFile.write(networkWith(manyKeys(false)), Path.of(args[0]));
        }
    }

    /** A valid file of a small network whose layer {@code layer} has {@code field} replaced by raw JSON text. */
    private Path edited(int layer, String field, String json) throws IOException {
        Network net = RandomNetwork.create(4, new int[] {20, 7, 3}, new int[] {8, 2});
        Path f = dir.resolve("edited.bcnet");
        NetworkFile.write(net, f);
        ObjectMapper mapper = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(f.toFile());
        com.fasterxml.jackson.databind.JsonNode value = mapper.readTree(json);
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) root.path("layers").get(layer);
        if (field.contains("[")) {
            String name = field.substring(0, field.indexOf('['));
            int index = Integer.parseInt(field.substring(field.indexOf('[') + 1, field.indexOf(']')));
            ((com.fasterxml.jackson.databind.node.ArrayNode) o.get(name)).set(index, value);
        } else {
            o.set(field, value);
        }
        Files.writeString(f, mapper.writeValueAsString(root));
        return f;
    }

    private void refused(Path f, String... parts) {
        BcflowException e = assertThrows(BcflowException.class, () -> NetworkFile.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void fractionalNumbersAreRefusedNotTruncated() throws IOException {
        Network net = RandomNetwork.create(4, new int[] {20, 7, 3}, new int[] {8, 2});
        int shift = net.layer(0).shift();
        long mul = net.layer(1).mul(2);
        refused(edited(0, "shift", shift + ".7"), "layer 0 (dense0)", "\"shift\"", shift + ".7");
        refused(edited(1, "mul[2]", mul + ".5"), "layer 1 (dense1)", "\"mul\"[2]", mul + ".5");
        refused(edited(1, "add[0]", "1e3"), "layer 1 (dense1)", "\"add\"[0]");
        refused(edited(0, "inputs", "2e1"), "layer 0 (dense0)", "\"inputs\"");
        refused(edited(0, "input_bits", "8.0"), "layer 0 (dense0)", "\"input_bits\"");
        refused(edited(0, "outputs", "7.0"), "layer 0 (dense0)", "\"outputs\"");
    }

    @Test
    void numbersOutOfRangeAreRefused() throws IOException {
        refused(edited(1, "add[1]", "92233720368547758070"), "layer 1 (dense1)", "\"add\"[1]", "92233720368547758070");
        refused(edited(0, "inputs", "4294967316"), "layer 0 (dense0)", "\"inputs\"", "4294967316");
        refused(edited(0, "shift", "1e400"), "layer 0 (dense0)", "\"shift\"");
    }

    @Test
    void valuesOfTheWrongTypeAreRefused() throws IOException {
        refused(edited(0, "shift", "\"12\""), "layer 0 (dense0)", "\"shift\"");
        refused(edited(0, "inputs", "true"), "layer 0 (dense0)", "\"inputs\"");
        refused(edited(1, "name", "true"), "layer 1", "\"name\"");
        Network net = RandomNetwork.create(4, new int[] {20, 7, 3}, new int[] {8, 2});
        String row = net.layer(1).weights().rowHex(0);
        if (row.matches("[0-9]+")) {
            refused(edited(1, "weights[0]", row), "layer 1 (dense1)", "\"weights\"[0]");
        }
        refused(edited(1, "weights[0]", "17"), "layer 1 (dense1)", "\"weights\"[0]");
        Path f = dir.resolve("v.bcnet");
        NetworkFile.write(net, f);
        Files.writeString(f, Files.readString(f).replaceFirst("\"version\" : 1", "\"version\" : 1.5"));
        refused(f, "\"version\"");
    }

    @Test
    void anUnreadableFileSaysWhyNotThatItIsForeign() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("folder.bcnet"));
        BcflowException e = assertThrows(BcflowException.class, () -> NetworkFile.read(folder));
        assertEquals("cannot read " + folder + ": is a folder", e.getMessage());
    }

    @Test
    void layerNamesMustBeDistinctLowerCaseIdentifiers() throws IOException {
        refused(edited(1, "name", "\"dense0\""), "two layers are named dense0");
        for (String bad : new String[] {"Dense1", "1dense", "a-b", "", "dense 1", "_x"}) {
            refused(edited(1, "name", "\"" + bad + "\""), "layer name must be a lower-case identifier");
        }
    }

    /**
     * The .bcnet bytes are a contract: this network's file, as the hand-built writer of format version 1
     * wrote it before the shared mapper took over, has this SHA-256.
     */
    @Test
    void theFileIsByteForByteTheFormatOfVersionOne() throws IOException {
        Network net = RandomNetwork.create(1, new int[] {30, 9, 5}, new int[] {8, 2});
        net = new Network(net.layers(), Map.of("zeta", "1", "alpha", "x\"y", "created_by", "t"));
        Path f = dir.resolve("golden.bcnet");
        NetworkFile.write(net, f);
        assertEquals("9ffc9f09aeccc7c51868282d8ede2db413ca0edbef8246447383a8a06371c3f3", FileHash.sha256(f));
    }

    // ---- format version 2: networks with conv and max-pool layers ----

    private static Network cnn() {
        return RandomNetwork.create(7, new FeatureMap(3, 9, 9), Architecture.parse("4C3-MP3-5C2v-6FC-3"), new int[] {8, 2, 3, 4});
    }

    @Test
    void aCnnIsWrittenAsVersionTwoAndReadBackExactly() throws IOException {
        Network net = cnn();
        Path f = dir.resolve("cnn.bcnet");
        NetworkFile.write(net, f);
        com.fasterxml.jackson.databind.JsonNode root = new ObjectMapper().readTree(f.toFile());
        assertEquals(2, root.path("version").asInt());
        assertEquals("conv", root.path("layers").get(0).path("kind").asText());
        assertEquals("same", root.path("layers").get(0).path("padding").asText());
        assertEquals(27, root.path("layers").get(0).path("inputs").asInt());
        assertEquals("maxpool", root.path("layers").get(1).path("kind").asText());
        Network back = NetworkFile.read(f);
        assertEquals(net.input(), back.input());
        assertEquals(net.stack(), back.stack());
        assertEquals(net.metadata(), back.metadata());
        assertEquals(net.hash(), back.hash());
        Path again = dir.resolve("again.bcnet");
        NetworkFile.write(back, again);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(again));
        int[] x = new int[net.inputSize()];
        java.util.Arrays.fill(x, 200);
        assertArrayEquals(new Reference(net).run(x).scores(), new Reference(back).run(x).scores());
    }

    @Test
    void aVersionTwoFileOfAnMlpIsThatMlpWithItsVersionOneHash() throws IOException {
        Network net = RandomNetwork.create(4, new int[] {20, 7, 3}, new int[] {8, 2});
        Path f = dir.resolve("mlp.bcnet");
        NetworkFile.write(net, f);
        ObjectMapper mapper = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(f.toFile());
        root.put("version", 2);
        root.set("input", mapper.readTree("{\"channels\": 20, \"height\": 1, \"width\": 1}"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("layers").get(1)).put("kind", "dense");  // layer 0 has no kind: dense
        Files.writeString(f, mapper.writeValueAsString(root));
        Network back = NetworkFile.read(f);
        assertTrue(back.isMlp());
        assertEquals(net.layers(), back.layers());
        assertEquals(net.hash(), back.hash());
    }

    /** A valid version 2 file of {@link #cnn()} with {@code edit} applied to its JSON tree. */
    private Path editedCnn(java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit) throws IOException {
        Path f = dir.resolve("edited-cnn.bcnet");
        NetworkFile.write(cnn(), f);
        ObjectMapper mapper = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(f.toFile());
        edit.accept(root);
        Files.writeString(f, mapper.writeValueAsString(root));
        return f;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode layer(com.fasterxml.jackson.databind.node.ObjectNode root, int i) {
        return (com.fasterxml.jackson.databind.node.ObjectNode) root.path("layers").get(i);
    }

    @Test
    void anUnknownKindIsOneLineNamingTheLayerAndTheKindsRead() throws IOException {
        refused(editedCnn(r -> layer(r, 1).put("kind", "avgpool")), "layer 1 (pool0)", "\"avgpool\"", "dense, conv, maxpool");
        refused(editedCnn(r -> layer(r, 1).put("kind", 3)), "layer 1 (pool0)", "\"kind\"");
    }

    @Test
    void badConvAndPoolFieldsAreOneLineNamingTheLayer() throws IOException {
        refused(editedCnn(r -> layer(r, 0).remove("k")), "layer 0 (conv0)", "\"k\" missing");
        refused(editedCnn(r -> layer(r, 0).put("k", "3")), "layer 0 (conv0)", "\"k\" must be an integer");
        refused(editedCnn(r -> layer(r, 0).put("k", 1.5)), "layer 0 (conv0)", "\"k\"", "1.5");
        refused(editedCnn(r -> layer(r, 0).put("padding", "full")), "layer 0 (conv0)", "\"padding\" must be \"same\" or \"valid\"", "full");
        refused(editedCnn(r -> layer(r, 0).remove("padding")), "layer 0 (conv0)", "\"padding\"", "missing");
        refused(editedCnn(r -> layer(r, 0).put("in_channels", 0)), "layer 0 (conv0)", "\"in_channels\" must be at least 1");
        refused(editedCnn(r -> layer(r, 0).put("in_channels", 2)), "layer 0 (conv0)", "\"inputs\" is 27", "3*3*2 = 18");
        refused(editedCnn(r -> layer(r, 0).put("out_channels", 5)), "layer 0 (conv0)", "\"out_channels\" is 5");
        refused(editedCnn(r -> layer(r, 2).put("padding", "same")), "layer 2 (conv1)", "same padding needs an odd kernel");
        refused(editedCnn(r -> layer(r, 1).remove("p")), "layer 1 (pool0)", "\"p\" missing");
        refused(editedCnn(r -> layer(r, 1).put("p", 0)), "layer 1 (pool0)", "pool size must be at least 1");
        refused(editedCnn(r -> r.remove("input")), "\"input\" must be an object", "missing");
        refused(editedCnn(r -> ((com.fasterxml.jackson.databind.node.ObjectNode) r.path("input")).put("height", 0)),
                "\"input\"", "at least one channel and one position");
        refused(editedCnn(r -> r.put("version", 4)), "format version 4 is not supported (this bcflow reads 1, 2 and 3)");
    }

    @Test
    void layersThatDoNotChainAreOneLine() throws IOException {
        refused(editedCnn(r -> ((com.fasterxml.jackson.databind.node.ObjectNode) r.path("input")).put("channels", 1)),
                "conv0 takes 3 channels but its input has 1");
        refused(editedCnn(r -> layer(r, 1).put("p", 2)), "pool0: a 2x2 pool does not divide its 9x9 input");
        refused(editedCnn(r -> ((com.fasterxml.jackson.databind.node.ObjectNode) r.path("input")).put("height", 2)),
                "conv0: a 3x3 kernel is larger than its 2x9 input");
        refused(editedCnn(r -> layer(r, 3).put("inputs", 7)), "layer 3 (dense0)");
    }

    @Test
    void anEditedCnnFileIsRefusedByItsHash() throws IOException {
        refused(editedCnn(r -> layer(r, 0).withArray("add").set(0, layer(r, 0).path("add").get(0).asLong() + 1)),
                "does not match its hash");
        refused(editedCnn(r -> layer(r, 1).put("name", "pool9")), "does not match its hash");
    }

    /** The worked example of docs/contract.md ("the hash of a network that is not an MLP"): its hash and its trace. */
    @Test
    void theContractsVersionTwoExample() {
        DenseLayer m = new DenseLayer("conv0", BitMatrix.fromRowHex(2, 9, List.of("1ff", "010")), 8, new long[] {1, -1},
                new long[] {0, -16}, 4);
        DenseLayer d = new DenseLayer("dense0", BitMatrix.fromRowHex(2, 8, List.of("55", "aa")), 2, new long[] {1, 1},
                new long[] {0, 0}, 0);
        Network net = new Network(new FeatureMap(1, 4, 4), List.of(new ConvLayer(m, 3, Padding.SAME), new MaxPoolLayer("pool0", 2), d),
                Map.of());
        assertEquals("2533ce878fa6cef7303f9f5db67c0dd45b2641772d8c9d3f361eda58b37ffa70", net.hash());
        int[] x = new int[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i;
        }
        Reference.Trace t = new Reference(net).run(x);
        assertArrayEquals(new long[] {0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 2, 1, 3, 1, 2, 0, 3, 1, 3, 2, 3, 3, 3, 1, 2, 0, 3, 1, 3, 1, 3, 0},
                t.outputs()[0]);
        assertArrayEquals(new long[] {2, 1, 3, 1, 3, 2, 3, 3}, t.outputs()[1]);
        assertArrayEquals(new long[] {4, -4}, t.scores());
    }
}
