package org.bcflow.qonnx;

import static org.bcflow.qonnx.OpRunner.op;
import static org.bcflow.qonnx.OpRunner.run;
import static org.bcflow.qonnx.OpRunner.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Test;

class ElementwiseOpsTest {

    @Test
    void addBroadcastsLikeNumpy() {
        // [2, 1, 3] + [4, 1] -> [2, 4, 3]
        Tensor a = t(new int[] {2, 1, 3}, 0, 1, 2, 10, 11, 12);
        Tensor b = t(new int[] {4, 1}, 100, 200, 300, 400);
        Tensor y = run(op("Add"), a, b);
        assertArrayEquals(new int[] {2, 4, 3}, y.shape());
        assertEquals(100, y.get(0, 0, 0), 0.0);
        assertEquals(302, y.get(0, 2, 2), 0.0);
        assertEquals(411, y.get(1, 3, 1), 0.0);
    }

    @Test
    void scalarsBroadcastEverywhere() {
        assertArrayEquals(new double[] {-1, 0, 1}, run(op("Sub"), Tensor.vector(0, 1, 2), Tensor.scalar(1)).data(), 0.0);
        assertArrayEquals(new double[] {0, 2, 4}, run(op("Mul"), Tensor.vector(0, 1, 2), Tensor.scalar(2)).data(), 0.0);
        assertArrayEquals(new double[] {0, 0.5, 1}, run(op("Div"), Tensor.vector(0, 1, 2), Tensor.scalar(2)).data(), 0.0);
        assertArrayEquals(new double[] {1, 4, 0.25}, run(op("Pow"), Tensor.scalar(2), Tensor.vector(0, 2, -2)).data(), 0.0);
    }

    @Test
    void shapesThatDoNotBroadcastAreRefusedNamingTheNode() {
        BcflowException e = assertThrows(BcflowException.class,
                () -> run(op("Add").withName("add7"), Tensor.vector(1, 2, 3), Tensor.vector(1, 2)));
        assertTrue(e.getMessage().startsWith("node add7 (Add): shapes [3], [2] do not broadcast"), e.getMessage());
    }

    @Test
    void unaryOps() {
        Tensor x = Tensor.vector(-2.5, -0.5, 0, 0.5, 1.5, 2.5);
        assertArrayEquals(new double[] {2.5, 0.5, 0, -0.5, -1.5, -2.5}, run(op("Neg"), x).data(), 0.0);
        assertArrayEquals(new double[] {-1, -1, 0, 1, 1, 1}, run(op("Sign"), x).data(), 0.0);
        assertArrayEquals(new double[] {-3, -1, 0, 0, 1, 2}, run(op("Floor"), x).data(), 0.0);
        assertArrayEquals(new double[] {-2, -0.0, 0, 1, 2, 3}, run(op("Ceil"), x).data(), 0.0);
        assertArrayEquals(new double[] {-2, -0.0, 0, 0, 2, 2}, run(op("Round"), x).data(), 0.0);
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 1.5, 2.5}, run(op("Relu"), x).data(), 0.0);
        assertArrayEquals(x.data(), run(op("Identity"), x).data(), 0.0);
        assertArrayEquals(new double[] {0, 1.5, 3}, run(op("Sqrt"), Tensor.vector(0, 2.25, 9)).data(), 0.0);
    }

    @Test
    void signOfZeroIsZero() {
        assertEquals(0.0, run(op("Sign"), Tensor.scalar(0)).at(0), 0.0);
        assertEquals(0.0, run(op("Sign"), Tensor.scalar(-0.0)).at(0), 0.0);
    }

    @Test
    void clipTakesBoundsFromAttributesOrInputs() {
        Tensor x = Tensor.vector(-5, 0.5, 5);
        Node attrs = op("Clip").with("min", Attribute.ofFloat(-1)).with("max", Attribute.ofFloat(2));
        assertArrayEquals(new double[] {-1, 0.5, 2}, OpRunner.outputs(attrs, 6, x).get(0).data(), 0.0);
        assertArrayEquals(new double[] {-1, 0.5, 2}, run(op("Clip"), x, Tensor.scalar(-1), Tensor.scalar(2)).data(), 0.0);
        // max only: min left out with an empty input name
        assertArrayEquals(new double[] {-5, 0.5, 1}, run(op("Clip"), x, null, Tensor.scalar(1)).data(), 0.0);
    }

    @Test
    void batchNormalizationInInferenceMode() {
        Tensor x = t(new int[] {1, 2}, 3, 3);
        Tensor scale = Tensor.vector(2, -1);
        Tensor bias = Tensor.vector(0.5, 1);
        Tensor mean = Tensor.vector(1, 5);
        Tensor var = Tensor.vector(4 - 1e-3, 1 - 1e-3);
        Node bn = op("BatchNormalization").with("epsilon", Attribute.ofFloat(1e-3));
        Tensor y = run(bn, x, scale, bias, mean, var);
        double eps = (float) 1e-3; // ONNX's epsilon is a float32
        assertEquals((3 - 1) / Math.sqrt(4 - 1e-3 + eps) * 2 + 0.5, y.at(0), 1e-12);
        assertEquals((3 - 5) / Math.sqrt(1 - 1e-3 + eps) * -1 + 1, y.at(1), 1e-12);
        assertEquals(2.5, y.at(0), 1e-6);
        assertEquals(3, y.at(1), 1e-6);
    }

    @Test
    void batchNormalizationUsesAxisOneOfAMap() {
        Tensor x = t(new int[] {1, 2, 1, 2}, 1, 2, 3, 4);
        Tensor y = run(op("BatchNormalization"), x, Tensor.vector(1, 10), Tensor.vector(0, 0), Tensor.vector(0, 0),
                Tensor.vector(1 - (double) 1e-5f, 1 - (double) 1e-5f));
        assertArrayEquals(new double[] {1, 2, 30, 40}, y.data(), 1e-9);
    }
}
