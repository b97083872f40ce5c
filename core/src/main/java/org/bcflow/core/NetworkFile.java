package org.bcflow.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The network file ({@code .bcnet}): the integer network as JSON, format version {@value #VERSION}.
 *
 * <pre>
 * {
 *   "format": "bcnet", "version": 1,
 *   "hash": SHA-256 of the computation (see Network.hash), checked on load,
 *   "metadata": { free-form strings },
 *   "layers": [ {
 *     "name": "dense0", "inputs": 784, "outputs": 256, "input_bits": 8, "shift": 19,
 *     "mul": [one signed integer per neuron], "add": [one signed integer per neuron],
 *     "weights": [one hex string per neuron: bit c of the number = input c, 1 = +1, 0 = -1]
 *   }, ... ]
 * }
 * </pre>
 */
public final class NetworkFile {
    public static final String FORMAT = "bcnet";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private NetworkFile() {
    }

    public static void write(Network net, Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("hash", net.hash());
        ObjectNode meta = root.putObject("metadata");
        new TreeMap<>(net.metadata()).forEach(meta::put); // sorted: same network, same bytes
        ArrayNode layers = root.putArray("layers");
        for (DenseLayer l : net.layers()) {
            ObjectNode o = layers.addObject();
            o.put("name", l.name());
            o.put("inputs", l.inputs());
            o.put("outputs", l.outputs());
            o.put("input_bits", l.inputBits());
            o.put("shift", l.shift());
            ArrayNode mul = o.putArray("mul");
            ArrayNode add = o.putArray("add");
            ArrayNode w = o.putArray("weights");
            for (int r = 0; r < l.outputs(); r++) {
                mul.add(l.mul(r));
                add.add(l.add(r));
                w.add(l.weights().rowHex(r));
            }
        }
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads and checks a network file; any problem is a {@link BcflowException} naming the file. */
    public static Network read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new BcflowException("network file not found: " + file);
        } catch (IOException e) {
            throw new BcflowException(file + ": not a network file (" + firstLine(e.getMessage()) + ")");
        }
        try {
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw new IllegalArgumentException("not a bcnet network file (no \"format\": \"bcnet\")");
            }
            int version = root.path("version").asInt(-1);
            if (version != VERSION) {
                throw new IllegalArgumentException("format version " + version + " is not supported (this bcflow reads " + VERSION + ")");
            }
            Map<String, String> meta = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("metadata").fields(); it.hasNext(); ) {
                var e = it.next();
                meta.put(e.getKey(), e.getValue().asText());
            }
            List<DenseLayer> layers = new ArrayList<>();
            JsonNode arr = root.path("layers");
            if (!arr.isArray() || arr.isEmpty()) {
                throw new IllegalArgumentException("no layers");
            }
            for (int i = 0; i < arr.size(); i++) {
                layers.add(readLayer(arr.get(i), i));
            }
            Network net = new Network(layers, meta);
            String hash = root.path("hash").asText();
            if (!hash.equals(net.hash())) {
                throw new IllegalArgumentException("content does not match its hash (file edited or damaged)");
            }
            return net;
        } catch (IllegalArgumentException e) {
            throw new BcflowException(file + ": " + e.getMessage());
        }
    }

    private static DenseLayer readLayer(JsonNode o, int index) {
        String where = "layer " + index;
        int inputs = requireInt(o, "inputs", where);
        int outputs = requireInt(o, "outputs", where);
        long[] mul = longs(o.path("mul"), outputs, where + " mul");
        long[] add = longs(o.path("add"), outputs, where + " add");
        List<String> rows = new ArrayList<>();
        JsonNode w = o.path("weights");
        if (!w.isArray()) {
            throw new IllegalArgumentException(where + ": weights missing");
        }
        w.forEach(n -> rows.add(n.asText()));
        try {
            BitMatrix weights = BitMatrix.fromRowHex(outputs, inputs, rows);
            return new DenseLayer(o.path("name").asText(), weights, requireInt(o, "input_bits", where), mul, add,
                    requireInt(o, "shift", where));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static int requireInt(JsonNode o, String field, String where) {
        JsonNode n = o.get(field);
        if (n == null || !n.canConvertToInt()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" missing or not an integer");
        }
        return n.asInt();
    }

    private static long[] longs(JsonNode arr, int count, String where) {
        if (!arr.isArray() || arr.size() != count) {
            throw new IllegalArgumentException(where + ": expected " + count + " integers");
        }
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            if (!arr.get(i).canConvertToLong()) {
                throw new IllegalArgumentException(where + "[" + i + "] is not an integer");
            }
            out[i] = arr.get(i).asLong();
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
