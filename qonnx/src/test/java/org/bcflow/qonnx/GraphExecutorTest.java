package org.bcflow.qonnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Test;

class GraphExecutorTest {
    private static final Tensor X = Tensor.of(new int[] {1, 4}, 0.4, -2, 0.6, 1);

    private static OnnxGraph withNodes(OnnxGraph g, List<Node> nodes) {
        OnnxGraph.Builder b = OnnxGraph.builder().opset("", g.standardOpset(13));
        g.inputs().forEach(b::input);
        g.outputs().forEach(b::output);
        g.initializers().forEach((n, t) -> b.initializer(n, t, g.initializerTypes().get(n)));
        nodes.forEach(b::node);
        return b.build();
    }

    @Test
    void nodesOutOfOrderAreSorted() {
        OnnxGraph g = OnnxGraphTest.smallNetwork();
        List<Node> reversed = new ArrayList<>(g.nodes());
        Collections.reverse(reversed);
        OnnxGraph shuffled = withNodes(g, reversed);
        GraphExecutor e = new GraphExecutor(shuffled);
        assertEquals(new GraphExecutor(g).run(Map.of("x", X)), e.run(Map.of("x", X)));
        List<String> order = e.order().stream().map(Node::name).toList();
        assertTrue(order.indexOf("mm") > order.indexOf("t") && order.indexOf("t") > order.indexOf("wq")
                && order.indexOf("act") > order.indexOf("reshape"), order.toString());
    }

    @Test
    void aFileInOrderKeepsItsOrder() {
        OnnxGraph g = OnnxGraphTest.smallNetwork();
        assertEquals(g.nodes(), new GraphExecutor(g).order());
    }

    @Test
    void runReturnsEveryValueByName() {
        Map<String, Tensor> values = new GraphExecutor(OnnxGraphTest.smallNetwork()).run(Map.of("x", X));
        assertArrayEquals(new double[] {0, -1, 1, 1}, values.get("xq").data(), 0.0);
        assertArrayEquals(new double[] {3, 3}, values.get("acc").data(), 0.0);
        assertTrue(values.containsKey("W") && values.containsKey("x") && values.containsKey("y"));
    }

    @Test
    void foldConstantsComputesWhatInitializersAndFixedShapesDetermine() {
        OnnxGraph g = OnnxGraph.builder()
                .input("x", ElementType.FLOAT, 1, 2, 2)
                .output("y", ElementType.FLOAT, 1, 4)
                .initializer("W", Tensor.of(new int[] {1, 2}, -0.5, 0.25))
                .initializer("s", Tensor.scalar(1))
                .initializer("zero", Tensor.longs(0), ElementType.INT64)
                .initializer("rest", Tensor.longs(-1), ElementType.INT64)
                .node(Node.of("BipolarQuant", List.of("W", "s"), List.of("Wb")).withDomain(OnnxGraph.BREVITAS_DOMAIN))
                .node(Node.of("Transpose", List.of("Wb"), List.of("Wt")))
                .node(Node.of("Shape", List.of("x"), List.of("shape")))
                .node(Node.of("Gather", List.of("shape", "zero"), List.of("batch")))
                .node(Node.of("Concat", List.of("batch", "rest"), List.of("target")).with("axis", Attribute.ofInt(0)))
                .node(Node.of("Reshape", List.of("x", "target"), List.of("y")))
                .build();
        Map<String, Tensor> folded = GraphExecutor.foldConstants(g);
        assertEquals(List.of("Wb", "Wt", "shape", "batch", "target"), List.copyOf(folded.keySet()));
        assertEquals(Tensor.of(new int[] {2, 1}, -1, 1), folded.get("Wt"));
        assertEquals(Tensor.longs(1, -1), folded.get("target"));
        Tensor y = new GraphExecutor(g).runSingle(Tensor.of(new int[] {1, 2, 2}, 1, 2, 3, 4));
        assertArrayEquals(new int[] {1, 4}, y.shape());
    }

    @Test
    void theShapeOfAnInputWithAnUnknownDimensionIsNotFolded() {
        OnnxGraph g = OnnxGraph.builder().input("x", ElementType.FLOAT, -1, 3).output("s", ElementType.INT64)
                .node(Node.of("Shape", List.of("x"), List.of("s"))).build();
        assertTrue(GraphExecutor.foldConstants(g).isEmpty());
        assertArrayEquals(new double[] {5, 3}, new GraphExecutor(g).runSingle(Tensor.zeros(5, 3)).data(), 0.0);
    }

    private static void assertOneLine(BcflowException e, String expectedStart) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }

    @Test
    void unsupportedOpsAreRefusedInOneLine() {
        OnnxGraph g = OnnxGraph.builder().input("x", ElementType.FLOAT, 2).output("y", ElementType.FLOAT, 2)
                .node(Node.of("Softmax", List.of("x"), List.of("y")).withName("sm")).build();
        BcflowException e = assertThrows(BcflowException.class, () -> new GraphExecutor(g).runSingle(Tensor.vector(1, 2)));
        assertOneLine(e, "node sm: op Softmax (domain \"\") is not supported; supported: ");
        assertTrue(e.getMessage().contains("MatMul") && e.getMessage().contains("MultiThreshold"), e.getMessage());
        OnnxGraph other = OnnxGraph.builder().input("x", ElementType.FLOAT, 2).output("y", ElementType.FLOAT, 2)
                .node(Node.of("Relu", List.of("x"), List.of("y")).withName("r").withDomain("com.example")).build();
        assertOneLine(assertThrows(BcflowException.class, () -> new GraphExecutor(other).runSingle(Tensor.vector(1, 2))),
                "node r: op Relu (domain com.example) is not supported; supported: ");
    }

    @Test
    void brokenGraphsAreRefusedInOneLine() {
        OnnxGraph dangling = OnnxGraph.builder().input("x", ElementType.FLOAT, 2).output("y", ElementType.FLOAT, 2)
                .node(Node.of("Add", List.of("x", "ghost"), List.of("y")).withName("add")).build();
        assertOneLine(assertThrows(BcflowException.class, () -> new GraphExecutor(dangling)), "node add reads 'ghost'");
        OnnxGraph cycle = OnnxGraph.builder().input("x", ElementType.FLOAT, 2).output("y", ElementType.FLOAT, 2)
                .node(Node.of("Add", List.of("x", "b"), List.of("a")).withName("n1"))
                .node(Node.of("Neg", List.of("a"), List.of("b")).withName("n2"))
                .node(Node.of("Neg", List.of("b"), List.of("y")).withName("n3")).build();
        assertOneLine(assertThrows(BcflowException.class, () -> new GraphExecutor(cycle)), "the graph has a cycle (nodes n1, n2, n3)");
        OnnxGraph twice = OnnxGraph.builder().input("x", ElementType.FLOAT, 2).output("y", ElementType.FLOAT, 2)
                .node(Node.of("Neg", List.of("x"), List.of("y")).withName("p"))
                .node(Node.of("Relu", List.of("x"), List.of("y")).withName("q")).build();
        assertOneLine(assertThrows(BcflowException.class, () -> new GraphExecutor(twice)), "node q: value 'y' is produced twice");
    }

    @Test
    void inputsAreChecked() {
        GraphExecutor e = new GraphExecutor(OnnxGraphTest.smallNetwork());
        assertOneLine(assertThrows(BcflowException.class, () -> e.run(Map.of())), "no value given for graph input 'x'");
        assertOneLine(assertThrows(BcflowException.class, () -> e.run(Map.of("x", Tensor.zeros(1, 5)))),
                "graph input 'x': shape [1, 5] given, the model wants [1, 4]");
        assertOneLine(assertThrows(BcflowException.class, () -> e.run(Map.of("x", X, "z", X))), "'z' is not an input");
    }
}
