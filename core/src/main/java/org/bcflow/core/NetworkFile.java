package org.bcflow.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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

    private NetworkFile() {
    }

    /** The file as written: these components, in this order, are the format (snake_case keys). */
    record Document(String format, int version, String hash, Map<String, String> metadata, List<Layer> layers) {
    }

    /** One layer as written: weights one hex string per neuron. */
    record Layer(String name, int inputs, int outputs, int inputBits, int shift, long[] mul, long[] add, List<String> weights) {
    }

    public static void write(Network net, Path file) {
        AtomicFiles.writeString(file, Json.text(document(net)));
    }

    static Document document(Network net) {
        List<Layer> layers = new ArrayList<>();
        for (DenseLayer l : net.layers()) {
            long[] mul = new long[l.outputs()];
            long[] add = new long[l.outputs()];
            List<String> weights = new ArrayList<>();
            for (int r = 0; r < l.outputs(); r++) {
                mul[r] = l.mul(r);
                add[r] = l.add(r);
                weights.add(l.weights().rowHex(r));
            }
            layers.add(new Layer(l.name(), l.inputs(), l.outputs(), l.inputBits(), l.shift(), mul, add, weights));
        }
        // sorted (the mapper writes map keys in order, this says it here too): same network, same bytes
        return new Document(FORMAT, VERSION, net.hash(), new TreeMap<>(net.metadata()), layers);
    }

    /** Reads and checks a network file; any problem is a {@link BcflowException} naming the file. */
    public static Network read(Path file) {
        return read(file, true);
    }

    /**
     * Reads and checks a network file except its hash, for {@code bcflow network --rehash}: files
     * written by other tools may carry no hash or a stale one; every other check still applies.
     */
    public static Network readIgnoringHash(Path file) {
        return read(file, false);
    }

    private static Network read(Path file, boolean checkHash) {
        JsonNode root;
        try {
            // decimals read as written (12.70 stays 12.70), so that a refused number is quoted exactly
            root = Json.EXACT.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new BcflowException("network file not found: " + file);
        } catch (JsonProcessingException e) {
            throw new BcflowException(file + ": not a network file (" + firstLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw FileErrors.failure("cannot read", file, e);
        }
        try {
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw new IllegalArgumentException("not a bcnet network file (no \"format\": \"bcnet\")");
            }
            long version = integer(root.get("version"), "\"version\"", "");
            if (version != VERSION) {
                throw new IllegalArgumentException("format version " + version + " is not supported (this bcflow reads " + VERSION + ")");
            }
            Map<String, String> meta = new TreeMap<>();
            JsonNode metaNode = root.path("metadata");
            if (!metaNode.isMissingNode() && !metaNode.isObject()) {
                throw new IllegalArgumentException("\"metadata\" must be an object of strings, got " + brief(metaNode));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = metaNode.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException("metadata \"" + e.getKey() + "\" must be a string, got " + brief(e.getValue()));
                }
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
            if (checkHash && !hash.equals(net.hash())) {
                throw new IllegalArgumentException("content does not match its hash (file edited or damaged)");
            }
            return net;
        } catch (IllegalArgumentException e) {
            throw new BcflowException(file + ": " + e.getMessage());
        }
    }

    private static DenseLayer readLayer(JsonNode o, int index) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("layer " + index + " is not a JSON object");
        }
        JsonNode nameNode = o.path("name");
        String where = "layer " + index + (nameNode.isTextual() ? " (" + nameNode.asText() + ")" : "");
        if (!nameNode.isTextual()) {
            throw new IllegalArgumentException(where + ": \"name\" " + (nameNode.isMissingNode() ? "missing"
                    : "must be a string, got " + brief(nameNode)));
        }
        int inputs = intField(o, "inputs", where);
        int outputs = intField(o, "outputs", where);
        int inputBits = intField(o, "input_bits", where);
        int shift = intField(o, "shift", where);
        long[] mul = integers(o, "mul", outputs, where);
        long[] add = integers(o, "add", outputs, where);
        JsonNode w = o.path("weights");
        if (!w.isArray()) {
            throw new IllegalArgumentException(where + ": \"weights\" missing or not an array");
        }
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            if (!w.get(i).isTextual()) {
                throw new IllegalArgumentException(where + ": \"weights\"[" + i + "] must be a hex string, got " + brief(w.get(i)));
            }
            rows.add(w.get(i).asText());
        }
        try {
            BitMatrix weights = BitMatrix.fromRowHex(outputs, inputs, rows);
            return new DenseLayer(nameNode.asText(), weights, inputBits, mul, add, shift);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static int intField(JsonNode o, String field, String where) {
        String what = "\"" + field + "\"";
        long v = integer(o.get(field), what, where);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + ": " + what + " is " + v + ", beyond the 32-bit range");
        }
        return (int) v;
    }

    private static long[] integers(JsonNode o, String field, int count, String where) {
        JsonNode arr = o.path(field);
        if (!arr.isArray() || arr.size() != count) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be an array of " + count + " integers");
        }
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = integer(arr.get(i), "\"" + field + "\"[" + i + "]", where);
        }
        return out;
    }

    /**
     * A JSON integer within 64 bits. A fraction, an exponent, a quoted number or a number beyond
     * 64 bits is refused rather than rounded or truncated: the file must say exactly what the
     * hardware computes.
     */
    private static long integer(JsonNode n, String what, String where) {
        String prefix = where.isEmpty() ? "" : where + ": ";
        if (n == null || n.isMissingNode() || n.isNull()) {
            throw new IllegalArgumentException(prefix + what + " missing");
        }
        if (!n.isIntegralNumber()) {
            throw new IllegalArgumentException(prefix + what + " must be an integer, got " + brief(n));
        }
        if (!n.canConvertToLong()) {
            throw new IllegalArgumentException(prefix + what + " is " + brief(n) + ", beyond the 64-bit range");
        }
        return n.longValue();
    }

    /** A JSON value as written, cut short for a one-line message. */
    private static String brief(JsonNode n) {
        String s = n.toString();
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
