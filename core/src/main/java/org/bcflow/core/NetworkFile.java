package org.bcflow.core;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * The network file ({@code .bcnet}): the integer network as JSON. An MLP ({@link Network#isMlp})
 * is written in format version 1, byte for byte as before version 2 existed (so its file and hash
 * never change); any other network in version 2. Both versions are read.
 *
 * <pre>
 * version 1:
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
 *
 * version 2: the same, plus the input shape and a kind per layer:
 * {
 *   "format": "bcnet", "version": 2, "hash": ..., "metadata": { ... },
 *   "input": { "channels": 1, "height": 28, "width": 28 },
 *   "layers": [
 *     { "name": "conv0", "kind": "conv", "k": 3, "padding": "same" | "valid",
 *       "in_channels": 1, "out_channels": 32,
 *       then the fields of a dense layer, with "inputs" = k*k*in_channels, "outputs" = out_channels
 *       and weight column j = (ky*k + kx)*in_channels + c },
 *     { "name": "pool0", "kind": "maxpool", "p": 2 },
 *     { "name": "dense0", "kind": "dense", the fields of version 1 } ]
 * }
 * </pre>
 * In version 2 {@code "kind"} defaults to {@code "dense"}; in version 1 it is ignored, as every
 * key the version does not define is.
 *
 * <p>Version 3 (networks that {@link Network#needsVersion3}, e.g. imported ones) is version 2 plus
 * an optional input quantizer, {@code "input": {..., "quantizer": {"raw_bits": 8, "thresholds":
 * [...]}}}, and, in a hidden dense or conv layer, {@code "thresholds": [one array per neuron]} in
 * place of {@code "shift"}, {@code "mul"} and {@code "add"}. Older bcflow refuses the version
 * rather than ignoring what it would compute wrongly.
 */
public final class NetworkFile {
    public static final String FORMAT = "bcnet";
    /** The version MLPs are written in. */
    public static final int MLP_VERSION = 1;
    /** The version written for every other network without the version 3 stages. */
    public static final int VERSION = 2;
    /** The newest version: input quantizer and explicit thresholds. */
    public static final int VERSION_3 = 3;
    /** The layer kinds version 2 reads. */
    private static final List<String> KINDS = List.of("dense", "conv", "maxpool");

    private NetworkFile() {
    }

    /** A version 1 file as written: these components, in this order, are the format (snake_case keys). */
    record Document(String format, int version, String hash, Map<String, String> metadata, List<Dense> layers) {
    }

    /** A version 1 layer as written: weights one hex string per neuron. */
    record Dense(String name, int inputs, int outputs, int inputBits, int shift, long[] mul, long[] add, List<String> weights) {
    }

    /** A version 2 file as written; each layer is a {@link DenseV2}, {@link ConvV2} or {@link PoolV2}. */
    record DocumentV2(String format, int version, String hash, Map<String, String> metadata, Input input, List<Object> layers) {
    }

    record Input(int channels, int height, int width) {
    }

    record DenseV2(String name, String kind, int inputs, int outputs, int inputBits, int shift, long[] mul, long[] add,
            List<String> weights) {
    }

    record ConvV2(String name, String kind, int k, String padding, int inChannels, int outChannels, int inputs, int outputs,
            int inputBits, int shift, long[] mul, long[] add, List<String> weights) {
    }

    record PoolV2(String name, String kind, int p) {
    }

    /** A version 3 file: version 2 with the input's optional quantizer and layers of either kind of requantization. */
    record DocumentV3(String format, int version, String hash, Map<String, String> metadata, InputV3 input, List<Object> layers) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InputV3(int channels, int height, int width, Quantizer quantizer) {
    }

    record Quantizer(int rawBits, long[] thresholds) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DenseV3(String name, String kind, int inputs, int outputs, int inputBits, Integer shift, long[] mul, long[] add,
            long[][] thresholds, List<String> weights) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ConvV3(String name, String kind, int k, String padding, int inChannels, int outChannels, int inputs, int outputs,
            int inputBits, Integer shift, long[] mul, long[] add, long[][] thresholds, List<String> weights) {
    }

    public static void write(Network net, Path file) {
        Object doc = net.needsVersion3() ? documentV3(net) : net.isMlp() ? document(net) : documentV2(net);
        AtomicFiles.writeString(file, Json.text(doc));
    }

    static DocumentV3 documentV3(Network net) {
        List<Object> layers = new ArrayList<>();
        for (Layer layer : net.stack()) {
            if (layer instanceof DenseLayer l) {
                boolean t = l.hasThresholds();
                layers.add(new DenseV3(l.name(), l.kind(), l.inputs(), l.outputs(), l.inputBits(), t ? null : l.shift(),
                        t ? null : l.mul(), t ? null : l.add(), l.thresholds(), rows(l)));
            } else if (layer instanceof ConvLayer c) {
                DenseLayer l = c.matrix();
                boolean t = l.hasThresholds();
                layers.add(new ConvV3(c.name(), c.kind(), c.k(), c.padding().key(), c.inChannels(), c.outChannels(), l.inputs(),
                        l.outputs(), l.inputBits(), t ? null : l.shift(), t ? null : l.mul(), t ? null : l.add(), l.thresholds(),
                        rows(l)));
            } else if (layer instanceof MaxPoolLayer p) {
                layers.add(new PoolV2(p.name(), p.kind(), p.p()));
            }
        }
        FeatureMap in = net.input();
        InputQuantizer q = net.quantizer();
        return new DocumentV3(FORMAT, VERSION_3, net.hash(), new TreeMap<>(net.metadata()),
                new InputV3(in.channels(), in.height(), in.width(), q == null ? null : new Quantizer(q.rawBits(), q.thresholds())),
                layers);
    }

    static Document document(Network net) {
        List<Dense> layers = new ArrayList<>();
        for (DenseLayer l : net.layers()) {
            layers.add(new Dense(l.name(), l.inputs(), l.outputs(), l.inputBits(), l.shift(), l.mul(), l.add(), rows(l)));
        }
        // sorted (the mapper writes map keys in order, this says it here too): same network, same bytes
        return new Document(FORMAT, MLP_VERSION, net.hash(), new TreeMap<>(net.metadata()), layers);
    }

    static DocumentV2 documentV2(Network net) {
        List<Object> layers = new ArrayList<>();
        for (Layer layer : net.stack()) {
            if (layer instanceof DenseLayer l) {
                layers.add(new DenseV2(l.name(), l.kind(), l.inputs(), l.outputs(), l.inputBits(), l.shift(), l.mul(), l.add(),
                        rows(l)));
            } else if (layer instanceof ConvLayer c) {
                DenseLayer l = c.matrix();
                layers.add(new ConvV2(c.name(), c.kind(), c.k(), c.padding().key(), c.inChannels(), c.outChannels(), l.inputs(),
                        l.outputs(), l.inputBits(), l.shift(), l.mul(), l.add(), rows(l)));
            } else if (layer instanceof MaxPoolLayer p) {
                layers.add(new PoolV2(p.name(), p.kind(), p.p()));
            }
        }
        FeatureMap in = net.input();
        return new DocumentV2(FORMAT, VERSION, net.hash(), new TreeMap<>(net.metadata()),
                new Input(in.channels(), in.height(), in.width()), layers);
    }

    private static List<String> rows(DenseLayer l) {
        List<String> weights = new ArrayList<>();
        for (int r = 0; r < l.outputs(); r++) {
            weights.add(l.weights().rowHex(r));
        }
        return weights;
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
            if (version != MLP_VERSION && version != VERSION && version != VERSION_3) {
                throw new IllegalArgumentException("format version " + version + " is not supported (this bcflow reads "
                        + MLP_VERSION + ", " + VERSION + " and " + VERSION_3 + ")");
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
            List<Layer> layers = new ArrayList<>();
            JsonNode arr = root.path("layers");
            if (!arr.isArray() || arr.isEmpty()) {
                throw new IllegalArgumentException("no layers");
            }
            for (int i = 0; i < arr.size(); i++) {
                layers.add(version == MLP_VERSION ? readDense(arr.get(i), where(arr.get(i), i), false)
                        : readLayer(arr.get(i), i, version == VERSION_3));
            }
            Network net;
            if (version == MLP_VERSION) {
                net = new Network(layers.stream().map(DenseLayer.class::cast).toList(), meta);
            } else {
                InputQuantizer quantizer = version == VERSION_3 ? readQuantizer(root.path("input").get("quantizer")) : null;
                net = new Network(readInput(root.get("input")), layers, meta, quantizer);
            }
            String hash = root.path("hash").asText();
            if (checkHash && !hash.equals(net.hash())) {
                throw new IllegalArgumentException("content does not match its hash (file edited or damaged)");
            }
            return net;
        } catch (IllegalArgumentException e) {
            throw new BcflowException(file + ": " + e.getMessage());
        }
    }

    private static FeatureMap readInput(JsonNode o) {
        String where = "\"input\"";
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException(where + " must be an object of \"channels\", \"height\" and \"width\""
                    + (o == null ? ", missing" : ", got " + brief(o)));
        }
        int channels = intField(o, "channels", where);
        int height = intField(o, "height", where);
        int width = intField(o, "width", where);
        try {
            return new FeatureMap(channels, height, width);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    /** Version 3's optional input quantizer: raw_bits and thresholds, checked by {@link InputQuantizer}. */
    private static InputQuantizer readQuantizer(JsonNode o) {
        if (o == null || o.isNull()) {
            return null;
        }
        String where = "\"input\".\"quantizer\"";
        if (!o.isObject()) {
            throw new IllegalArgumentException(where + " must be an object of \"raw_bits\" and \"thresholds\", got " + brief(o));
        }
        int rawBits = intField(o, "raw_bits", where);
        JsonNode t = o.path("thresholds");
        if (!t.isArray()) {
            throw new IllegalArgumentException(where + ": \"thresholds\" must be an array of integers");
        }
        return new InputQuantizer(rawBits, integers(o, "thresholds", t.size(), where));
    }

    /** "layer 3 (conv1)": how messages name a layer, checking that it is an object with a string name. */
    private static String where(JsonNode o, int index) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("layer " + index + " is not a JSON object");
        }
        JsonNode nameNode = o.path("name");
        String where = "layer " + index + (nameNode.isTextual() ? " (" + nameNode.asText() + ")" : "");
        if (!nameNode.isTextual()) {
            throw new IllegalArgumentException(where + ": \"name\" " + (nameNode.isMissingNode() ? "missing"
                    : "must be a string, got " + brief(nameNode)));
        }
        return where;
    }

    /** A layer of version 2: its "kind" (dense when absent) says which fields it has. */
    private static Layer readLayer(JsonNode o, int index, boolean v3) {
        String where = where(o, index);
        JsonNode kindNode = o.path("kind");
        if (!kindNode.isMissingNode() && !kindNode.isTextual()) {
            throw new IllegalArgumentException(where + ": \"kind\" must be a string, got " + brief(kindNode));
        }
        String kind = kindNode.isMissingNode() ? "dense" : kindNode.asText();
        if (kind.equals("dense")) {
            return readDense(o, where, v3);
        }
        if (kind.equals("conv")) {
            return readConv(o, where, v3);
        }
        if (kind.equals("maxpool")) {
            int p = intField(o, "p", where);
            try {
                return new MaxPoolLayer(o.path("name").asText(), p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException(where + ": kind " + brief(kindNode) + " is not one this bcflow reads ("
                + String.join(", ", KINDS) + ")");
    }

    private static ConvLayer readConv(JsonNode o, String where, boolean v3) {
        int k = positiveField(o, "k", where);
        JsonNode paddingNode = o.path("padding");
        if (!paddingNode.isTextual() || !List.of("same", "valid").contains(paddingNode.asText())) {
            throw new IllegalArgumentException(where + ": \"padding\" must be \"same\" or \"valid\", "
                    + (paddingNode.isMissingNode() ? "missing" : "got " + brief(paddingNode)));
        }
        Padding padding = Padding.ofKey(paddingNode.asText());
        int in = positiveField(o, "in_channels", where);
        int out = positiveField(o, "out_channels", where);
        DenseLayer matrix = readDense(o, where, v3);
        if (matrix.inputs() != (long) k * k * in) {
            throw new IllegalArgumentException(where + ": \"inputs\" is " + matrix.inputs() + " but k*k*in_channels is "
                    + k + "*" + k + "*" + in + " = " + (long) k * k * in);
        }
        if (matrix.outputs() != out) {
            throw new IllegalArgumentException(where + ": \"outputs\" is " + matrix.outputs() + " but \"out_channels\" is " + out);
        }
        try {
            return new ConvLayer(matrix, k, padding);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    /** The fields of a dense layer (also a conv layer's matrix); in version 3 thresholds instead of shift, mul and add. */
    private static DenseLayer readDense(JsonNode o, String where, boolean v3) {
        int inputs = intField(o, "inputs", where);
        int outputs = intField(o, "outputs", where);
        int inputBits = intField(o, "input_bits", where);
        long[][] thresholds = v3 && o.has("thresholds") ? thresholdRows(o, outputs, where) : null;
        if (thresholds != null && (o.has("shift") || o.has("mul") || o.has("add"))) {
            throw new IllegalArgumentException(where + ": \"thresholds\" and \"shift\", \"mul\", \"add\" exclude each other");
        }
        int shift = thresholds != null ? 0 : intField(o, "shift", where);
        long[] mul = thresholds != null ? new long[Math.max(0, outputs)] : integers(o, "mul", outputs, where);
        long[] add = thresholds != null ? new long[Math.max(0, outputs)] : integers(o, "add", outputs, where);
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
            return new DenseLayer(o.path("name").asText(), weights, inputBits, mul, add, shift, thresholds);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static long[][] thresholdRows(JsonNode o, int outputs, String where) {
        JsonNode arr = o.path("thresholds");
        if (!arr.isArray() || arr.size() != outputs) {
            throw new IllegalArgumentException(where + ": \"thresholds\" must be an array of " + outputs + " arrays of integers");
        }
        long[][] t = new long[outputs][];
        for (int n = 0; n < outputs; n++) {
            JsonNode row = arr.get(n);
            if (!row.isArray()) {
                throw new IllegalArgumentException(where + ": \"thresholds\"[" + n + "] must be an array of integers, got " + brief(row));
            }
            t[n] = new long[row.size()];
            for (int j = 0; j < row.size(); j++) {
                t[n][j] = integer(row.get(j), "\"thresholds\"[" + n + "][" + j + "]", where);
            }
        }
        return t;
    }

    private static int intField(JsonNode o, String field, String where) {
        String what = "\"" + field + "\"";
        long v = integer(o.get(field), what, where);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + ": " + what + " is " + v + ", beyond the 32-bit range");
        }
        return (int) v;
    }

    private static int positiveField(JsonNode o, String field, String where) {
        int v = intField(o, field, where);
        if (v < 1) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be at least 1, got " + v);
        }
        return v;
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
