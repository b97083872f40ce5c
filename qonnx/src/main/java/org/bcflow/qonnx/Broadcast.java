package org.bcflow.qonnx;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Element-wise functions with numpy's broadcasting, which ONNX adopts: shapes are aligned at the
 * right, and an axis of length 1 (or a missing one) stretches to the other tensor's length.
 */
final class Broadcast {
    private Broadcast() {
    }

    /** A function of several values at the same broadcast position. */
    @FunctionalInterface
    interface Nary {
        double apply(double[] values);
    }

    /** The broadcast shape of {@code shapes}; {@link IllegalArgumentException} when they do not broadcast. */
    static int[] shape(int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int d = 0; d < s.length; d++) {
                int o = rank - s.length + d;
                if (s[d] != 1) {
                    if (out[o] != 1 && out[o] != s[d]) {
                        throw new IllegalArgumentException("shapes " + describe(shapes) + " do not broadcast");
                    }
                    out[o] = s[d];
                }
            }
        }
        return out;
    }

    /** Strides of {@code shape} seen as {@code out}: 0 along the axes it is stretched over. */
    static int[] strides(int[] shape, int[] out) {
        int[] own = Tensor.strides(shape);
        int[] s = new int[out.length];
        for (int d = 0; d < shape.length; d++) {
            int o = out.length - shape.length + d;
            s[o] = shape[d] == 1 ? 0 : own[d];
        }
        return s;
    }

    static Tensor unary(Tensor a, DoubleUnaryOperator f) {
        double[] in = a.values();
        double[] out = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = f.applyAsDouble(in[i]);
        }
        return Tensor.wrap(a.shape(), out);
    }

    static Tensor binary(Tensor a, Tensor b, DoubleBinaryOperator f) {
        return nary(new Tensor[] {a, b}, v -> f.applyAsDouble(v[0], v[1]));
    }

    /** {@code f} applied at every position of the broadcast shape of {@code tensors}. */
    static Tensor nary(Tensor[] tensors, Nary f) {
        int n = tensors.length;
        int[][] shapes = new int[n][];
        for (int k = 0; k < n; k++) {
            shapes[k] = tensors[k].shape();
        }
        int[] out = shape(shapes);
        int rank = out.length;
        int[][] strides = new int[n][];
        double[][] data = new double[n][];
        for (int k = 0; k < n; k++) {
            strides[k] = strides(shapes[k], out);
            data[k] = tensors[k].values();
        }
        double[] result = new double[Tensor.checkedSize(out)];
        int[] index = new int[rank];
        int[] offset = new int[n];
        double[] args = new double[n];
        for (int i = 0; i < result.length; i++) {
            for (int k = 0; k < n; k++) {
                args[k] = data[k][offset[k]];
            }
            result[i] = f.apply(args);
            // next position, last axis fastest
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                for (int k = 0; k < n; k++) {
                    offset[k] += strides[k][d];
                }
                if (index[d] < out[d]) {
                    break;
                }
                for (int k = 0; k < n; k++) {
                    offset[k] -= strides[k][d] * out[d];
                }
                index[d] = 0;
            }
        }
        return Tensor.wrap(out, result);
    }

    private static String describe(int[][] shapes) {
        StringBuilder sb = new StringBuilder();
        for (int[] s : shapes) {
            sb.append(sb.length() == 0 ? "" : ", ").append(Arrays.toString(s));
        }
        return sb.toString();
    }
}
