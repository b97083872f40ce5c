package org.bcflow.qonnx;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bcflow.core.BcflowException;

/**
 * The graph the exporter is putting together: a {@link OnnxGraph.Builder} plus the check that
 * every node and tensor name is used once. Names are a layer's name, an underscore and a fixed
 * suffix ({@code dense0_weights}), readable in Netron and in messages; layer names are unique,
 * but two of them can still meet (the BipolarQuant of a layer {@code dense0} and the Quant of a
 * hidden layer {@code dense0_weights} are both {@code dense0_weights_quant}), and such a network is refused in one line rather than given
 * an ambiguous graph.
 */
final class ExportAssembly {
    private final OnnxGraph.Builder builder = OnnxGraph.builder().name("bcflow");
    private final Set<String> tensors = new HashSet<>();
    private final Set<String> nodes = new HashSet<>();

    OnnxGraph.Builder builder() {
        return builder;
    }

    /** Claims a tensor name (a graph input, an initializer or a node output). */
    String tensor(String name) {
        if (!tensors.add(name)) {
            throw new BcflowException("two tensors of the exported graph would be named " + name
                    + " (layer names too alike, such as dense0 and dense0_weights): rename a layer");
        }
        return name;
    }

    /** A FLOAT initializer. */
    String constant(String name, Tensor value) {
        builder.initializer(tensor(name), value);
        return name;
    }

    /** A FLOAT scalar initializer. */
    String scalar(String name, double value) {
        return constant(name, Tensor.scalar(value));
    }

    /** An INT64 initializer of rank 1, such as a Reshape's target shape. */
    String shape(String name, long... dims) {
        builder.initializer(tensor(name), Tensor.longs(dims), ElementType.INT64);
        return name;
    }

    /** Adds a standard-domain node named {@code name} with one output, and returns that output's name. */
    String node(String name, String opType, List<String> inputs, String output, Attr... attributes) {
        return add(Node.of(opType, inputs, List.of(output)), name, output, attributes);
    }

    /** Adds a QONNX custom-op node with one output, and returns that output's name. */
    String qonnxNode(String name, String opType, List<String> inputs, String output, Attr... attributes) {
        return add(Node.of(opType, inputs, List.of(output)).withDomain(OnnxGraph.QONNX_DOMAIN), name, output, attributes);
    }

    private String add(Node node, String name, String output, Attr... attributes) {
        if (!nodes.add(name)) {
            throw new BcflowException("two nodes of the exported graph would be named " + name
                    + " (layer names too alike, such as dense0 and dense0_weights): rename a layer");
        }
        Node n = node.withName(name);
        for (Attr a : attributes) {
            n = n.with(a.name(), a.value());
        }
        builder.node(n);
        return tensor(output);
    }

    /** Marks {@code tensor} as holding values of a QONNX data type such as UINT4 or BIPOLAR. */
    void datatype(String tensor, String finnType) {
        builder.annotate(tensor, OnnxGraph.FINN_DATATYPE, finnType);
    }

    /** One attribute of a node being added. */
    record Attr(String name, Attribute value) {
        static Attr ofInt(String name, long v) {
            return new Attr(name, Attribute.ofInt(v));
        }

        static Attr ofInts(String name, long... v) {
            return new Attr(name, Attribute.ofInts(v));
        }

        static Attr ofFloat(String name, double v) {
            return new Attr(name, Attribute.ofFloat(v));
        }

        static Attr ofString(String name, String v) {
            return new Attr(name, Attribute.ofString(v));
        }
    }
}
