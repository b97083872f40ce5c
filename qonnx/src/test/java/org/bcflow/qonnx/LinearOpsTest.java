package org.bcflow.qonnx;

import static org.bcflow.qonnx.OpRunner.op;
import static org.bcflow.qonnx.OpRunner.run;
import static org.bcflow.qonnx.OpRunner.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Test;

class LinearOpsTest {

    private static Tensor random(Random r, int... shape) {
        double[] v = new double[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(7) - 3;
        }
        return Tensor.of(shape, v);
    }

    @Test
    void matMulOfMatrices() {
        Tensor a = t(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        Tensor b = t(new int[] {3, 2}, 1, 0, 0, 1, 1, 1);
        Tensor y = run(op("MatMul"), a, b);
        assertArrayEquals(new int[] {2, 2}, y.shape());
        assertArrayEquals(new double[] {4, 5, 10, 11}, y.data(), 0.0);
    }

    @Test
    void matMulWithVectors() {
        Tensor m = t(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        Tensor y = run(op("MatMul"), Tensor.vector(1, 1), m);
        assertArrayEquals(new int[] {3}, y.shape());
        assertArrayEquals(new double[] {5, 7, 9}, y.data(), 0.0);
        Tensor z = run(op("MatMul"), m, Tensor.vector(1, 0, -1));
        assertArrayEquals(new int[] {2}, z.shape());
        assertArrayEquals(new double[] {-2, -2}, z.data(), 0.0);
        Tensor dot = run(op("MatMul"), Tensor.vector(1, 2), Tensor.vector(3, 4));
        assertArrayEquals(new int[0], dot.shape());
        assertEquals(11, dot.at(0), 0.0);
    }

    @Test
    void matMulBroadcastsBatchAxes() {
        Random r = new Random(1);
        Tensor a = random(r, 2, 1, 2, 3);
        Tensor b = random(r, 4, 3, 5);
        Tensor y = run(op("MatMul"), a, b);
        assertArrayEquals(new int[] {2, 4, 2, 5}, y.shape());
        for (int p = 0; p < 2; p++) {
            for (int q = 0; q < 4; q++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 5; j++) {
                        double sum = 0;
                        for (int k = 0; k < 3; k++) {
                            sum += a.get(p, 0, i, k) * b.get(q, k, j);
                        }
                        assertEquals(sum, y.get(p, q, i, j), 0.0);
                    }
                }
            }
        }
    }

    @Test
    void matMulRefusesMismatchedInnerLengths() {
        BcflowException e = assertThrows(BcflowException.class, () -> run(op("MatMul"), Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("do not multiply"), e.getMessage());
    }

    @Test
    void gemmTransposesScalesAndAddsC() {
        Tensor a = t(new int[] {3, 2}, 1, 4, 2, 5, 3, 6); // A' = [[1,2,3],[4,5,6]]
        Tensor b = t(new int[] {2, 3}, 1, 0, 1, 0, 1, 1); // B' = [[1,0],[0,1],[1,1]]
        Node gemm = op("Gemm").with("transA", Attribute.ofInt(1)).with("transB", Attribute.ofInt(1))
                .with("alpha", Attribute.ofFloat(2)).with("beta", Attribute.ofFloat(0.5));
        Tensor y = run(gemm, a, b, Tensor.vector(10, 20));
        // A'B' = [[4,5],[10,11]]; 2 * that + 0.5 * [10, 20]
        assertArrayEquals(new double[] {13, 20, 25, 32}, y.data(), 0.0);
        assertArrayEquals(new double[] {4, 5, 10, 11}, run(op("Gemm").with("transA", Attribute.ofInt(1))
                .with("transB", Attribute.ofInt(1)), a, b).data(), 0.0);
    }

    /** A straightforward convolution over an explicitly zero-padded copy of the input. */
    private static double[][][][] naiveConv(Tensor x, Tensor w, double[] bias, int[] pads, int[] strides) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2) + pads[0] + pads[2];
        int wd = x.dim(3) + pads[1] + pads[3];
        double[][][][] padded = new double[n][c][h][wd];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < c; b++) {
                for (int i = 0; i < x.dim(2); i++) {
                    for (int j = 0; j < x.dim(3); j++) {
                        padded[a][b][i + pads[0]][j + pads[1]] = x.get(a, b, i, j);
                    }
                }
            }
        }
        int m = w.dim(0);
        int kh = w.dim(2);
        int kw = w.dim(3);
        int oh = (h - kh) / strides[0] + 1;
        int ow = (wd - kw) / strides[1] + 1;
        double[][][][] out = new double[n][m][oh][ow];
        for (int a = 0; a < n; a++) {
            for (int f = 0; f < m; f++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = bias[f];
                        for (int b = 0; b < c; b++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    s += padded[a][b][i * strides[0] + u][j * strides[1] + v] * w.get(f, b, u, v);
                                }
                            }
                        }
                        out[a][f][i][j] = s;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void convWithPaddingAndStridesMatchesANaiveLoop() {
        Random r = new Random(7);
        Tensor x = random(r, 2, 2, 5, 6);
        Tensor w = random(r, 3, 2, 3, 3);
        double[] bias = {0.5, -1, 2};
        int[] pads = {1, 0, 2, 1};
        int[] strides = {2, 1};
        Node conv = op("Conv").with("kernel_shape", Attribute.ofInts(3, 3)).with("pads", Attribute.ofInts(1, 0, 2, 1))
                .with("strides", Attribute.ofInts(2, 1));
        Tensor y = run(conv, x, w, Tensor.vector(bias));
        double[][][][] expected = naiveConv(x, w, bias, pads, strides);
        assertArrayEquals(new int[] {2, 3, 3, 5}, y.shape());
        for (int a = 0; a < 2; a++) {
            for (int f = 0; f < 3; f++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 5; j++) {
                        assertEquals(expected[a][f][i][j], y.get(a, f, i, j), 0.0);
                    }
                }
            }
        }
        Tensor noBias = run(op("Conv").with("pads", Attribute.ofInts(1, 1, 1, 1)), x, w);
        double[][][][] e2 = naiveConv(x, w, new double[3], new int[] {1, 1, 1, 1}, new int[] {1, 1});
        assertEquals(e2[1][2][0][0], noBias.get(1, 2, 0, 0), 0.0);
        assertEquals(e2[0][1][4][5], noBias.get(0, 1, 4, 5), 0.0);
    }

    @Test
    void convRefusesGroups() {
        Node conv = op("Conv").withName("conv3").with("group", Attribute.ofInt(2));
        BcflowException e = assertThrows(BcflowException.class, () -> run(conv, Tensor.zeros(1, 2, 3, 3), Tensor.zeros(2, 1, 1, 1)));
        assertEquals("node conv3 (Conv): group 2 is not supported (group 1 only)", e.getMessage());
    }

    @Test
    void maxPoolIgnoresPadding() {
        Tensor x = t(new int[] {1, 1, 3, 3}, -1, -2, -3, -4, -5, -6, -7, -8, -9);
        Node pool = op("MaxPool").with("kernel_shape", Attribute.ofInts(2, 2)).with("strides", Attribute.ofInts(2, 2))
                .with("pads", Attribute.ofInts(1, 1, 0, 0));
        Tensor y = run(pool, x);
        assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new double[] {-1, -2, -4, -5}, y.data(), 0.0);
        Tensor plain = run(op("MaxPool").with("kernel_shape", Attribute.ofInts(2, 2)), x);
        assertArrayEquals(new double[] {-1, -2, -4, -5}, plain.data(), 0.0);
    }
}
