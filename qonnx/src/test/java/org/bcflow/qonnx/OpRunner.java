package org.bcflow.qonnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs one node on given tensors through a one-node graph, so each op test also covers the dispatch. */
final class OpRunner {
    private OpRunner() {
    }

    /** All outputs of {@code node}, whose inputs are renamed i0, i1, ... (null: an optional input left out). */
    static List<Tensor> outputs(Node node, long opset, Tensor... inputs) {
        List<String> names = new ArrayList<>();
        Map<String, Tensor> feed = new HashMap<>();
        OnnxGraph.Builder b = OnnxGraph.builder().opset("", opset);
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                names.add("");
                continue;
            }
            String name = "i" + i;
            names.add(name);
            feed.put(name, inputs[i]);
            b.input(name, ElementType.FLOAT, inputs[i].shape());
        }
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < Math.max(1, node.outputs().size()); i++) {
            outs.add("o" + i);
        }
        Node n = new Node(node.name().isEmpty() ? "n" : node.name(), node.opType(), node.domain(), names, outs,
                node.attributes());
        outs.forEach(o -> b.output(o, ElementType.FLOAT, (int[]) null));
        Map<String, Tensor> values = new GraphExecutor(b.node(n).build()).run(feed);
        return outs.stream().map(values::get).toList();
    }

    static Tensor run(Node node, Tensor... inputs) {
        return outputs(node, 13, inputs).get(0);
    }

    /** A node of the given op type with one output, to decorate with {@link Node#with}. */
    static Node op(String type) {
        return Node.of(type, List.of(), List.of("y"));
    }

    static Node qonnx(String type) {
        return op(type).withDomain(OnnxGraph.QONNX_DOMAIN);
    }

    static Tensor t(int[] shape, double... values) {
        return Tensor.of(shape, values);
    }
}
