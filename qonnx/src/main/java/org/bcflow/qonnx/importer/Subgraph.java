package org.bcflow.qonnx.importer;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bcflow.qonnx.ElementType;
import org.bcflow.qonnx.GraphExecutor;
import org.bcflow.qonnx.Node;
import org.bcflow.qonnx.OnnxGraph;
import org.bcflow.qonnx.Tensor;

/**
 * A piece of a model's data path run on its own: a run of nodes with one data input, every other
 * operand a constant of the model. The importer feeds such pieces every value a layer's
 * accumulator can take and reads off what the model makes of them.
 */
final class Subgraph {
    private final GraphExecutor executor;
    private final String input;
    private final String output;

    /**
     * @param model     the whole model, for its opsets
     * @param constants every constant of the model by name (initializers and folded values)
     * @param nodes     the run of nodes, in order
     * @param input     the value the run reads from outside
     * @param rank      the rank of that value (its dimensions are left open)
     * @param output    the value to return
     */
    Subgraph(OnnxGraph model, Map<String, Tensor> constants, List<Node> nodes, String input, int rank, String output) {
        OnnxGraph.Builder b = OnnxGraph.builder().clearOpsets();
        model.opsetImports().forEach(b::opset);
        Set<String> added = new HashSet<>();
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !in.equals(input) && constants.containsKey(in) && added.add(in)) {
                    // DOUBLE: constants the model folded in double keep every bit (FLOAT would round them)
                    b.initializer(in, constants.get(in), ElementType.DOUBLE);
                }
            }
            b.node(n);
        }
        int[] open = new int[rank];
        java.util.Arrays.fill(open, -1);
        b.input(input, ElementType.FLOAT, open);
        b.output(output, ElementType.FLOAT, (int[]) null);
        this.executor = new GraphExecutor(b.build());
        this.input = input;
        this.output = output;
    }

    Tensor run(Tensor value) {
        return executor.run(Map.of(input, value)).get(output);
    }
}
