package org.bcflow.qonnx;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * ArgMax and TopK. Ties matter for classifiers with integer scores, which tie often: both pick
 * the lowest index first (ArgMax's select_last_index 1 picks the highest instead).
 */
final class SelectionOps {
    private SelectionOps() {
    }

    static void register(Map<String, Op> ops) {
        ops.put("ArgMax", SelectionOps::argMax);
        ops.put("TopK", SelectionOps::topK);
    }

    /** The geometry of "along one axis": outer x length x inner, as a flat tensor is laid out. */
    private record Lanes(int outer, int length, int inner) {
        static Lanes of(int[] shape, int axis) {
            int outer = 1;
            for (int d = 0; d < axis; d++) {
                outer *= shape[d];
            }
            int inner = 1;
            for (int d = axis + 1; d < shape.length; d++) {
                inner *= shape[d];
            }
            return new Lanes(outer, shape[axis], inner);
        }

        int at(int o, int i, int k) {
            return (o * length + k) * inner + i;
        }
    }

    private static List<Tensor> argMax(OpCall call) {
        Tensor x = call.input(0);
        int axis = call.axis(call.node().intAttr("axis", 0), x.rank());
        boolean keepDims = call.node().intAttr("keepdims", 1) != 0;
        boolean last = call.node().intAttr("select_last_index", 0) != 0;
        int[] s = x.shape();
        Lanes lanes = Lanes.of(s, axis);
        if (lanes.length() == 0) {
            throw call.fail("ArgMax along an empty axis");
        }
        double[] v = x.values();
        double[] out = new double[lanes.outer() * lanes.inner()];
        for (int o = 0; o < lanes.outer(); o++) {
            for (int i = 0; i < lanes.inner(); i++) {
                int best = 0;
                for (int k = 1; k < lanes.length(); k++) {
                    double a = v[lanes.at(o, i, k)];
                    double m = v[lanes.at(o, i, best)];
                    if (a > m || last && a == m) {
                        best = k;
                    }
                }
                out[o * lanes.inner() + i] = best;
            }
        }
        return List.of(Tensor.wrap(reducedShape(s, axis, keepDims), out));
    }

    private static int[] reducedShape(int[] s, int axis, boolean keepDims) {
        if (keepDims) {
            int[] out = s.clone();
            out[axis] = 1;
            return out;
        }
        int[] out = new int[s.length - 1];
        for (int d = 0, o = 0; d < s.length; d++) {
            if (d != axis) {
                out[o++] = s[d];
            }
        }
        return out;
    }

    /** TopK: the K largest (or smallest) along an axis, best first, equal values in index order. */
    private static List<Tensor> topK(OpCall call) {
        Tensor x = call.input(0);
        long[] kv = call.longs(1);
        if (kv.length != 1) {
            throw call.fail("K must be one value, not " + Arrays.toString(kv));
        }
        int axis = call.axis(call.node().intAttr("axis", -1), x.rank());
        boolean largest = call.node().intAttr("largest", 1) != 0;
        int[] s = x.shape();
        Lanes lanes = Lanes.of(s, axis);
        if (kv[0] < 0 || kv[0] > lanes.length()) {
            throw call.fail("K " + kv[0] + " for an axis of length " + lanes.length());
        }
        int k = (int) kv[0];
        int[] outShape = s.clone();
        outShape[axis] = k;
        double[] v = x.values();
        double[] values = new double[lanes.outer() * k * lanes.inner()];
        double[] indices = new double[values.length];
        Lanes outLanes = new Lanes(lanes.outer(), k, lanes.inner());
        for (int o = 0; o < lanes.outer(); o++) {
            for (int i = 0; i < lanes.inner(); i++) {
                int oo = o;
                int ii = i;
                Comparator<Integer> order = Comparator.comparingDouble(j -> v[lanes.at(oo, ii, j)]);
                if (largest) {
                    order = order.reversed();
                }
                // a stable sort keeps equal values in index order
                Integer[] idx = new Integer[lanes.length()];
                Arrays.setAll(idx, j -> j);
                Arrays.sort(idx, order);
                for (int r = 0; r < k; r++) {
                    values[outLanes.at(o, i, r)] = v[lanes.at(o, i, idx[r])];
                    indices[outLanes.at(o, i, r)] = idx[r];
                }
            }
        }
        return List.of(Tensor.wrap(outShape, values), Tensor.wrap(outShape.clone(), indices));
    }
}
