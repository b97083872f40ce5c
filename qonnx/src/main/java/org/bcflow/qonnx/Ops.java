package org.bcflow.qonnx;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.bcflow.core.BcflowException;

/** Finds the implementation of a node's op by domain and type, or refuses the node in one line. */
final class Ops {
    private static final Map<String, Op> STANDARD = new TreeMap<>();
    private static final Map<String, Op> QONNX = new TreeMap<>();

    static {
        ElementwiseOps.register(STANDARD);
        ShapeOps.register(STANDARD);
        LinearOps.register(STANDARD);
        SelectionOps.register(STANDARD);
        QuantOps.register(QONNX);
    }

    private Ops() {
    }

    static Op find(Node node) {
        Map<String, Op> table = OnnxGraph.isStandardDomain(node.domain()) ? STANDARD
                : OnnxGraph.isQonnxDomain(node.domain()) ? QONNX : Collections.emptyMap();
        Op op = table.get(node.opType());
        if (op == null) {
            throw new BcflowException("node " + node.label() + ": op " + node.opType() + " (domain "
                    + (node.domain().isEmpty() ? "\"\"" : node.domain()) + ") is not supported; supported: "
                    + String.join(", ", STANDARD.keySet()) + " (standard domain); " + String.join(", ", QONNX.keySet())
                    + " (domains " + OnnxGraph.QONNX_DOMAIN + ", " + OnnxGraph.FINN_DOMAIN + ", "
                    + OnnxGraph.BREVITAS_DOMAIN + ")");
        }
        return op;
    }
}
