package org.bcflow.qonnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Standard ONNX ops that move values without computing new ones: shapes, indexing, reshaping,
 * transposition, concatenation, constants and casts. Exporters such as PyTorch's compute a
 * Reshape's target shape from Shape, Gather, Unsqueeze and Concat; these ops let that run.
 */
final class ShapeOps {
    private ShapeOps() {
    }

    static void register(Map<String, Op> ops) {
        ops.put("Shape", ShapeOps::shape);
        ops.put("Gather", ShapeOps::gather);
        ops.put("Unsqueeze", ShapeOps::unsqueeze);
        ops.put("Squeeze", ShapeOps::squeeze);
        ops.put("Concat", ShapeOps::concat);
        ops.put("Reshape", ShapeOps::reshape);
        ops.put("Flatten", ShapeOps::flatten);
        ops.put("Transpose", ShapeOps::transpose);
        ops.put("Constant", ShapeOps::constant);
        ops.put("Cast", ShapeOps::cast);
    }

    /** Shape, with opset 15's optional start and end (a slice of the dimensions). */
    private static List<Tensor> shape(OpCall call) {
        int[] s = call.input(0).shape();
        int rank = s.length;
        long start = call.node().intAttr("start", 0);
        long end = call.node().intAttr("end", rank);
        int from = (int) Math.min(Math.max(start < 0 ? start + rank : start, 0), rank);
        int to = (int) Math.min(Math.max(end < 0 ? end + rank : end, 0), rank);
        double[] out = new double[Math.max(to - from, 0)];
        for (int d = from; d < to; d++) {
            out[d - from] = s[d];
        }
        return List.of(Tensor.vector(out));
    }

    /** Gather along an axis; negative indices count from the end of the axis. */
    private static List<Tensor> gather(OpCall call) {
        Tensor data = call.input(0);
        Tensor indices = call.input(1);
        long[] idx = call.longs(1);
        int axis = call.axis(call.node().intAttr("axis", 0), data.rank());
        int[] ds = data.shape();
        int length = ds[axis];
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= ds[d];
        }
        int inner = 1;
        for (int d = axis + 1; d < ds.length; d++) {
            inner *= ds[d];
        }
        int[] out = new int[ds.length - 1 + indices.rank()];
        System.arraycopy(ds, 0, out, 0, axis);
        System.arraycopy(indices.shape(), 0, out, axis, indices.rank());
        System.arraycopy(ds, axis + 1, out, axis + indices.rank(), ds.length - axis - 1);
        double[] src = data.values();
        double[] result = new double[Tensor.checkedSize(out)];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (long raw : idx) {
                long i = raw < 0 ? raw + length : raw;
                if (i < 0 || i >= length) {
                    throw call.fail("index " + raw + " is outside an axis of length " + length);
                }
                System.arraycopy(src, (int) ((o * (long) length + i) * inner), result, pos, inner);
                pos += inner;
            }
        }
        return List.of(Tensor.wrap(out, result));
    }

    /** The axes of (Un)Squeeze: the attribute before opset 13, the second input from then on; whichever is present. */
    private static long[] axes(OpCall call) {
        if (call.optional(1) != null) {
            return call.longs(1);
        }
        return call.node().intsAttr("axes", null);
    }

    private static List<Tensor> unsqueeze(OpCall call) {
        Tensor x = call.input(0);
        long[] axes = axes(call);
        if (axes == null) {
            throw call.fail("no axes (attribute axes, or input 2 from opset 13)");
        }
        int rank = x.rank() + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int axis = call.axis(a, rank);
            if (inserted[axis]) {
                throw call.fail("axis " + a + " given twice");
            }
            inserted[axis] = true;
        }
        int[] s = x.shape();
        int[] out = new int[rank];
        for (int d = 0, k = 0; d < rank; d++) {
            out[d] = inserted[d] ? 1 : s[k++];
        }
        return List.of(x.reshape(out));
    }

    private static List<Tensor> squeeze(OpCall call) {
        Tensor x = call.input(0);
        long[] axes = axes(call);
        int[] s = x.shape();
        boolean[] removed = new boolean[s.length];
        if (axes == null) {
            for (int d = 0; d < s.length; d++) {
                removed[d] = s[d] == 1;
            }
        } else {
            for (long a : axes) {
                int axis = call.axis(a, s.length);
                if (s[axis] != 1) {
                    throw call.fail("axis " + a + " has length " + s[axis] + ", not 1");
                }
                removed[axis] = true;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < s.length; d++) {
            if (!removed[d]) {
                out.add(s[d]);
            }
        }
        return List.of(x.reshape(out.stream().mapToInt(Integer::intValue).toArray()));
    }

    private static List<Tensor> concat(OpCall call) {
        Tensor first = call.input(0);
        int rank = first.rank();
        int axis = call.axis(call.node().intAttr("axis", 0), rank);
        int[] out = first.shape();
        out[axis] = 0;
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < call.inputCount(); i++) {
            Tensor t = call.input(i);
            int[] s = t.shape();
            for (int d = 0; d < rank; d++) {
                if (s.length != rank || d != axis && s[d] != first.dim(d)) {
                    throw call.fail("shapes " + Arrays.toString(first.shape()) + " and " + Arrays.toString(s)
                            + " do not join along axis " + axis);
                }
            }
            out[axis] += s[axis];
            parts.add(t);
        }
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= out[d];
        }
        double[] result = new double[Tensor.checkedSize(out)];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (Tensor t : parts) {
                int chunk = t.size() / outer;
                System.arraycopy(t.values(), o * chunk, result, pos, chunk);
                pos += chunk;
            }
        }
        return List.of(Tensor.wrap(out, result));
    }

    /** Reshape: 0 keeps the input's length on that axis (unless allowzero), -1 takes what is left. */
    private static List<Tensor> reshape(OpCall call) {
        Tensor x = call.input(0);
        long[] wanted = call.longs(1);
        boolean allowZero = call.node().intAttr("allowzero", 0) != 0;
        int[] out = new int[wanted.length];
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < wanted.length; d++) {
            long w = wanted[d];
            if (w == -1) {
                if (inferred >= 0) {
                    throw call.fail("shape " + Arrays.toString(wanted) + " has more than one -1");
                }
                inferred = d;
                continue;
            } else if (w == 0 && !allowZero) {
                if (d >= x.rank()) {
                    throw call.fail("shape " + Arrays.toString(wanted) + " copies axis " + d + " of a rank-" + x.rank() + " input");
                }
                w = x.dim(d);
            } else if (w < 0) {
                throw call.fail("shape " + Arrays.toString(wanted) + " has a negative length");
            }
            out[d] = (int) w;
            known *= w;
        }
        if (inferred >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw call.fail("cannot reshape " + Arrays.toString(x.shape()) + " to " + Arrays.toString(wanted));
            }
            out[inferred] = (int) (x.size() / known);
        }
        try {
            return List.of(x.reshape(out));
        } catch (IllegalArgumentException e) {
            throw call.fail("cannot reshape " + Arrays.toString(x.shape()) + " to " + Arrays.toString(wanted));
        }
    }

    private static List<Tensor> flatten(OpCall call) {
        Tensor x = call.input(0);
        long a = call.node().intAttr("axis", 1);
        int axis = a == x.rank() ? x.rank() : call.axis(a, x.rank());
        int rows = 1;
        for (int d = 0; d < axis; d++) {
            rows *= x.dim(d);
        }
        return List.of(x.reshape(rows, rows == 0 ? 0 : x.size() / rows));
    }

    /** Transpose by perm (default: the axes reversed). */
    private static List<Tensor> transpose(OpCall call) {
        Tensor x = call.input(0);
        int rank = x.rank();
        long[] perm = call.node().intsAttr("perm", null);
        int[] p = new int[rank];
        if (perm == null) {
            for (int d = 0; d < rank; d++) {
                p[d] = rank - 1 - d;
            }
        } else {
            boolean[] seen = new boolean[rank];
            if (perm.length != rank) {
                throw call.fail("perm " + Arrays.toString(perm) + " for a rank-" + rank + " tensor");
            }
            for (int d = 0; d < rank; d++) {
                p[d] = call.axis(perm[d], rank);
                if (seen[p[d]]) {
                    throw call.fail("perm " + Arrays.toString(perm) + " is not a permutation");
                }
                seen[p[d]] = true;
            }
        }
        int[] s = x.shape();
        int[] inStrides = Tensor.strides(s);
        int[] out = new int[rank];
        int[] strides = new int[rank];
        for (int d = 0; d < rank; d++) {
            out[d] = s[p[d]];
            strides[d] = inStrides[p[d]];
        }
        double[] src = x.values();
        double[] result = new double[src.length];
        int[] index = new int[rank];
        int offset = 0;
        for (int i = 0; i < result.length; i++) {
            result[i] = src[offset];
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                offset += strides[d];
                if (index[d] < out[d]) {
                    break;
                }
                offset -= strides[d] * out[d];
                index[d] = 0;
            }
        }
        return List.of(Tensor.wrap(out, result));
    }

    private static List<Tensor> constant(OpCall call) {
        Tensor value = call.node().tensorAttr("value");
        if (value == null) {
            throw call.fail("only the attribute value (a tensor) is supported");
        }
        return List.of(value);
    }

    /**
     * Cast: to FLOAT rounds to float32; to an integer type truncates towards zero, as numpy does;
     * to BOOL gives 0 or 1. Wrap-around of out-of-range integers is not modelled.
     */
    private static List<Tensor> cast(OpCall call) {
        int to = (int) call.node().intAttr("to", 0);
        ElementType type;
        try {
            type = ElementType.of(to, "cast target");
        } catch (RuntimeException e) {
            throw call.fail(e.getMessage());
        }
        return List.of(Broadcast.unary(call.input(0), switch (type) {
            case FLOAT -> a -> (float) a;
            case DOUBLE -> a -> a;
            case BOOL -> a -> a != 0 ? 1 : 0;
            default -> a -> a < 0 ? Math.ceil(a) : Math.floor(a);
        }));
    }
}
