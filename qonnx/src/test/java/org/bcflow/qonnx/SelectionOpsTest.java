package org.bcflow.qonnx;

import static org.bcflow.qonnx.OpRunner.op;
import static org.bcflow.qonnx.OpRunner.run;
import static org.bcflow.qonnx.OpRunner.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionOpsTest {
    private static final Tensor SCORES = t(new int[] {2, 3}, 1, 5, 5, 2, 2, 1);

    @Test
    void argMaxTakesTheFirstOfEqualMaxima() {
        Tensor y = run(op("ArgMax").with("axis", Attribute.ofInt(1)), SCORES);
        assertArrayEquals(new int[] {2, 1}, y.shape());
        assertArrayEquals(new double[] {1, 0}, y.data(), 0.0);
        Tensor flat = run(op("ArgMax").with("axis", Attribute.ofInt(-1)).with("keepdims", Attribute.ofInt(0)), SCORES);
        assertArrayEquals(new int[] {2}, flat.shape());
        assertArrayEquals(new double[] {1, 0}, flat.data(), 0.0);
    }

    @Test
    void argMaxCanTakeTheLastOfEqualMaxima() {
        Node last = op("ArgMax").with("axis", Attribute.ofInt(1)).with("select_last_index", Attribute.ofInt(1));
        assertArrayEquals(new double[] {2, 1}, run(last, SCORES).data(), 0.0);
    }

    @Test
    void argMaxAlongAxisZero() {
        assertArrayEquals(new double[] {1, 0, 0}, run(op("ArgMax"), SCORES).data(), 0.0);
    }

    @Test
    void topKPutsEqualValuesInIndexOrder() {
        Node topK = Node.of("TopK", List.of(), List.of("v", "i"));
        List<Tensor> out = OpRunner.outputs(topK, 13, Tensor.vector(3, 1, 3, 2), Tensor.longs(2));
        assertArrayEquals(new double[] {3, 3}, out.get(0).data(), 0.0);
        assertArrayEquals(new double[] {0, 2}, out.get(1).data(), 0.0);
        Node smallest = topK.with("largest", Attribute.ofInt(0));
        List<Tensor> low = OpRunner.outputs(smallest, 13, Tensor.vector(1, 0, 1, 0), Tensor.longs(3));
        assertArrayEquals(new double[] {0, 0, 1}, low.get(0).data(), 0.0);
        assertArrayEquals(new double[] {1, 3, 0}, low.get(1).data(), 0.0);
    }

    @Test
    void topKAlongTheLastAxisOfAMatrix() {
        Node topK = Node.of("TopK", List.of(), List.of("v", "i"));
        List<Tensor> out = OpRunner.outputs(topK, 13, SCORES, Tensor.longs(1));
        assertArrayEquals(new int[] {2, 1}, out.get(0).shape());
        assertArrayEquals(new double[] {5, 2}, out.get(0).data(), 0.0);
        assertArrayEquals(new double[] {1, 0}, out.get(1).data(), 0.0);
    }
}
