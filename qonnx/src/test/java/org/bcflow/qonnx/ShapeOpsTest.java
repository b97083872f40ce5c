package org.bcflow.qonnx;

import static org.bcflow.qonnx.OpRunner.op;
import static org.bcflow.qonnx.OpRunner.run;
import static org.bcflow.qonnx.OpRunner.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Test;

class ShapeOpsTest {
    private static final Tensor X234 = Tensor.of(new int[] {2, 3, 4}, java.util.stream.IntStream.range(0, 24).asDoubleStream().toArray());

    @Test
    void shapeGivesTheDimensions() {
        assertArrayEquals(new double[] {2, 3, 4}, run(op("Shape"), X234).data(), 0.0);
        Node sliced = op("Shape").with("start", Attribute.ofInt(1));
        assertArrayEquals(new double[] {3, 4}, run(sliced, X234).data(), 0.0);
    }

    @Test
    void gatherWrapsNegativeIndices() {
        Tensor data = t(new int[] {3, 2}, 1, 2, 3, 4, 5, 6);
        Tensor rows = run(op("Gather"), data, Tensor.longs(-1, 0));
        assertArrayEquals(new int[] {2, 2}, rows.shape());
        assertArrayEquals(new double[] {5, 6, 1, 2}, rows.data(), 0.0);
        Tensor column = run(op("Gather").with("axis", Attribute.ofInt(1)), data, Tensor.scalar(-1));
        assertArrayEquals(new int[] {3}, column.shape());
        assertArrayEquals(new double[] {2, 4, 6}, column.data(), 0.0);
    }

    @Test
    void gatherRefusesAnIndexOutOfRange() {
        BcflowException e = assertThrows(BcflowException.class, () -> run(op("Gather"), Tensor.vector(1, 2), Tensor.longs(2)));
        assertTrue(e.getMessage().contains("index 2 is outside an axis of length 2"), e.getMessage());
    }

    @Test
    void reshapeCopiesZeroAndInfersMinusOne() {
        Tensor y = run(op("Reshape"), X234, Tensor.longs(0, -1));
        assertArrayEquals(new int[] {2, 12}, y.shape());
        assertArrayEquals(X234.data(), y.data(), 0.0);
        assertArrayEquals(new int[] {4, 3, 2}, run(op("Reshape"), X234, Tensor.longs(-1, 3, 2)).shape());
        assertArrayEquals(new int[] {2, 3, 4}, run(op("Reshape"), X234, Tensor.longs(0, 0, -1)).shape());
        BcflowException e = assertThrows(BcflowException.class, () -> run(op("Reshape"), X234, Tensor.longs(-1, -1)));
        assertTrue(e.getMessage().contains("more than one -1"), e.getMessage());
        assertThrows(BcflowException.class, () -> run(op("Reshape"), X234, Tensor.longs(5, -1)));
    }

    @Test
    void unsqueezeTakesAxesFromTheAttributeOrTheInput() {
        Node old = op("Unsqueeze").with("axes", Attribute.ofInts(0, 3));
        assertArrayEquals(new int[] {1, 2, 3, 1, 4}, OpRunner.outputs(old, 11, X234).get(0).shape());
        assertArrayEquals(new int[] {2, 3, 4, 1}, run(op("Unsqueeze"), X234, Tensor.longs(-1)).shape());
        assertArrayEquals(new int[] {1}, run(op("Unsqueeze"), Tensor.scalar(7), Tensor.longs(0)).shape());
    }

    @Test
    void squeezeRemovesAxesOfLengthOne() {
        Tensor x = Tensor.zeros(1, 3, 1);
        assertArrayEquals(new int[] {3}, run(op("Squeeze"), x).shape());
        assertArrayEquals(new int[] {3, 1}, run(op("Squeeze"), x, Tensor.longs(0)).shape());
        assertThrows(BcflowException.class, () -> run(op("Squeeze"), x, Tensor.longs(1)));
    }

    @Test
    void concatJoinsAlongAnAxis() {
        Tensor a = t(new int[] {2, 1}, 1, 2);
        Tensor b = t(new int[] {2, 2}, 3, 4, 5, 6);
        Tensor y = run(op("Concat").with("axis", Attribute.ofInt(-1)), a, b);
        assertArrayEquals(new int[] {2, 3}, y.shape());
        assertArrayEquals(new double[] {1, 3, 4, 2, 5, 6}, y.data(), 0.0);
        Tensor rows = run(op("Concat").with("axis", Attribute.ofInt(0)), Tensor.longs(1), Tensor.longs(-1));
        assertArrayEquals(new double[] {1, -1}, rows.data(), 0.0);
    }

    @Test
    void flattenKeepsTheAxesBeforeAxis() {
        assertArrayEquals(new int[] {2, 12}, run(op("Flatten"), X234).shape());
        assertArrayEquals(new int[] {6, 4}, run(op("Flatten").with("axis", Attribute.ofInt(2)), X234).shape());
        assertArrayEquals(new int[] {1, 24}, run(op("Flatten").with("axis", Attribute.ofInt(0)), X234).shape());
    }

    @Test
    void transposeByPermOrReversed() {
        Tensor y = run(op("Transpose").with("perm", Attribute.ofInts(1, 0, 2)), X234);
        assertArrayEquals(new int[] {3, 2, 4}, y.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertTrue(X234.get(i, j, k) == y.get(j, i, k));
                }
            }
        }
        Tensor r = run(op("Transpose"), X234);
        assertArrayEquals(new int[] {4, 3, 2}, r.shape());
        assertTrue(r.get(3, 1, 0) == X234.get(0, 1, 3) && r.get(2, 0, 1) == X234.get(1, 0, 2));
    }

    @Test
    void constantAndCast() {
        Node c = Node.of("Constant", List.of(), List.of("y")).with("value", Attribute.ofTensor(Tensor.longs(3, 4), ElementType.INT64));
        assertArrayEquals(new double[] {3, 4}, run(c).data(), 0.0);
        Node toInt = op("Cast").with("to", Attribute.ofInt(ElementType.INT64.code()));
        assertArrayEquals(new double[] {-1, 1, 2}, run(toInt, Tensor.vector(-1.7, 1.2, 2.9)).data(), 0.0);
        Node toFloat = op("Cast").with("to", Attribute.ofInt(ElementType.FLOAT.code()));
        assertArrayEquals(new double[] {(float) 0.1}, run(toFloat, Tensor.vector(0.1)).data(), 0.0);
    }
}
