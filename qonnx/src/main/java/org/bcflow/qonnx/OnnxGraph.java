package org.bcflow.qonnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bcflow.core.AtomicFiles;

/**
 * A plain Java view of an ONNX model: what bcflow's importer and exporter need, free of protobuf
 * types. Read one with {@link #read}, make one with {@link #builder}, write one with {@link #write}.
 *
 * <p>Inputs are the real inputs only: files of IR version 3 also list every initializer among the
 * graph's inputs, and those are left out here (they are in {@link #initializers}).
 */
public final class OnnxGraph {
    /** The domain of QONNX's custom ops; {@link #FINN_DOMAIN} and {@link #BREVITAS_DOMAIN} are its older names. */
    public static final String QONNX_DOMAIN = "qonnx.custom_op.general";
    public static final String FINN_DOMAIN = "finn.custom_op.general";
    public static final String BREVITAS_DOMAIN = "onnx.brevitas";
    /** The quantization-annotation key QONNX uses for a tensor's data type (BIPOLAR, INT4, ...). */
    public static final String FINN_DATATYPE = "finn_datatype";

    private final String name;
    private final long irVersion;
    private final Map<String, Long> opsetImports;
    private final List<Node> nodes;
    private final Map<String, Tensor> initializers;
    private final Map<String, ElementType> initializerTypes;
    private final List<ValueInfo> inputs;
    private final List<ValueInfo> outputs;
    private final Map<String, Map<String, String>> quantizationAnnotations;

    private OnnxGraph(Builder b) {
        name = b.name;
        irVersion = b.irVersion;
        opsetImports = Collections.unmodifiableMap(new LinkedHashMap<>(b.opsetImports));
        nodes = List.copyOf(b.nodes);
        initializers = Collections.unmodifiableMap(new LinkedHashMap<>(b.initializers));
        initializerTypes = Collections.unmodifiableMap(new LinkedHashMap<>(b.initializerTypes));
        inputs = List.copyOf(b.inputs);
        outputs = List.copyOf(b.outputs);
        Map<String, Map<String, String>> q = new LinkedHashMap<>();
        b.annotations.forEach((tensor, entries) -> q.put(tensor, Collections.unmodifiableMap(new LinkedHashMap<>(entries))));
        quantizationAnnotations = Collections.unmodifiableMap(q);
    }

    /** Reads an ONNX file; any problem with it is a one-line {@link org.bcflow.core.BcflowException}. */
    public static OnnxGraph read(Path file) {
        return OnnxReader.read(file);
    }

    /** Parses the bytes of an ONNX file; {@code sourceName} names them in refusals. */
    public static OnnxGraph parse(byte[] bytes, String sourceName) {
        return OnnxReader.parse(bytes, sourceName);
    }

    /** The model as ONNX bytes (a ModelProto with producer "bcflow"). */
    public byte[] toBytes() {
        return OnnxWriter.toBytes(this);
    }

    /** Writes the model to {@code file}, atomically. */
    public void write(Path file) {
        AtomicFiles.write(file, toBytes());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this graph's contents, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder().name(name).irVersion(irVersion);
        b.opsetImports.clear();
        b.opsetImports.putAll(opsetImports);
        b.nodes.addAll(nodes);
        b.initializers.putAll(initializers);
        b.initializerTypes.putAll(initializerTypes);
        b.inputs.addAll(inputs);
        b.outputs.addAll(outputs);
        quantizationAnnotations.forEach((t, m) -> b.annotations.put(t, new LinkedHashMap<>(m)));
        return b;
    }

    public String name() {
        return name;
    }

    public long irVersion() {
        return irVersion;
    }

    /** Operator-set versions by domain ("" is the standard domain). */
    public Map<String, Long> opsetImports() {
        return opsetImports;
    }

    /** The version of the standard operator set ("" or "ai.onnx"), or {@code fallback} when the model names none. */
    public long standardOpset(long fallback) {
        Long v = opsetImports.get("");
        if (v == null) {
            v = opsetImports.get("ai.onnx");
        }
        return v == null ? fallback : v;
    }

    /** The nodes in file order (not necessarily topological: see {@link GraphExecutor}). */
    public List<Node> nodes() {
        return nodes;
    }

    /** Constant tensors by name, in file order. */
    public Map<String, Tensor> initializers() {
        return initializers;
    }

    /** The element type each initializer has in the file (and will have when written). */
    public Map<String, ElementType> initializerTypes() {
        return initializerTypes;
    }

    /** The real inputs: graph inputs that are not initializers. */
    public List<ValueInfo> inputs() {
        return inputs;
    }

    public List<ValueInfo> outputs() {
        return outputs;
    }

    /** For each annotated tensor, its key-value pairs, such as finn_datatype = BIPOLAR. */
    public Map<String, Map<String, String>> quantizationAnnotations() {
        return quantizationAnnotations;
    }

    /** The finn_datatype annotation of {@code tensor}, or null. */
    public String finnDatatype(String tensor) {
        Map<String, String> a = quantizationAnnotations.get(tensor);
        return a == null ? null : a.get(FINN_DATATYPE);
    }

    /** Whether {@code domain} is one of the names of QONNX's custom-op domain. */
    public static boolean isQonnxDomain(String domain) {
        return QONNX_DOMAIN.equals(domain) || FINN_DOMAIN.equals(domain) || BREVITAS_DOMAIN.equals(domain);
    }

    /** Whether {@code domain} is the standard ONNX domain. */
    public static boolean isStandardDomain(String domain) {
        return domain == null || domain.isEmpty() || "ai.onnx".equals(domain);
    }

    /** Collects a graph's parts. Defaults: IR version 7, standard opset 13, name "bcflow". */
    public static final class Builder {
        private String name = "bcflow";
        private long irVersion = 7;
        private final Map<String, Long> opsetImports = new LinkedHashMap<>(Map.of("", 13L));
        private final List<Node> nodes = new ArrayList<>();
        private final Map<String, Tensor> initializers = new LinkedHashMap<>();
        private final Map<String, ElementType> initializerTypes = new LinkedHashMap<>();
        private final List<ValueInfo> inputs = new ArrayList<>();
        private final List<ValueInfo> outputs = new ArrayList<>();
        private final Map<String, Map<String, String>> annotations = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder name(String graphName) {
            name = graphName;
            return this;
        }

        public Builder irVersion(long version) {
            irVersion = version;
            return this;
        }

        /** Sets the operator-set version of {@code domain} ("" for the standard one). */
        public Builder opset(String domain, long version) {
            opsetImports.put(domain, version);
            return this;
        }

        /** Forgets every opset import, the default standard one included. */
        public Builder clearOpsets() {
            opsetImports.clear();
            return this;
        }

        public Builder node(Node node) {
            nodes.add(node);
            return this;
        }

        /** A FLOAT initializer: its values are rounded to float32 here, as the file will hold them. */
        public Builder initializer(String tensorName, Tensor value) {
            return initializer(tensorName, value, ElementType.FLOAT);
        }

        /**
         * An initializer of the given type, such as INT64 for a Reshape's shape. A FLOAT one is rounded
         * to float32 now, so that a graph runs the same before and after a round trip through a file.
         */
        public Builder initializer(String tensorName, Tensor value, ElementType type) {
            initializers.put(tensorName, type == ElementType.FLOAT ? value.toFloat32() : value);
            initializerTypes.put(tensorName, type);
            return this;
        }

        /** A real input; -1 for a dimension of any length. */
        public Builder input(String valueName, ElementType type, int... shape) {
            inputs.add(new ValueInfo(valueName, type, shape));
            return this;
        }

        public Builder input(ValueInfo info) {
            inputs.add(info);
            return this;
        }

        public Builder output(String valueName, ElementType type, int... shape) {
            outputs.add(new ValueInfo(valueName, type, shape));
            return this;
        }

        public Builder output(ValueInfo info) {
            outputs.add(info);
            return this;
        }

        /** Adds a quantization annotation, such as ({@code "x"}, {@link #FINN_DATATYPE}, {@code "BIPOLAR"}). */
        public Builder annotate(String tensor, String key, String value) {
            annotations.computeIfAbsent(tensor, t -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** The graph; every custom domain a node uses gets an opset import (version 1) if it has none. */
        public OnnxGraph build() {
            for (Node n : nodes) {
                if (!isStandardDomain(n.domain())) {
                    opsetImports.putIfAbsent(n.domain(), 1L);
                }
            }
            return new OnnxGraph(this);
        }
    }
}
