package org.bcflow.qonnx;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Standard ONNX ops that combine many inputs per output: MatMul, Gemm, Conv and MaxPool. Sums run
 * in a fixed order (ascending input index), so results are the same from run to run.
 */
final class LinearOps {
    private LinearOps() {
    }

    static void register(Map<String, Op> ops) {
        ops.put("MatMul", LinearOps::matMul);
        ops.put("Gemm", LinearOps::gemm);
        ops.put("Conv", LinearOps::conv);
        ops.put("MaxPool", LinearOps::maxPool);
    }

    /**
     * numpy's matmul: a 1-D first operand is a row, a 1-D second one a column (both dropped from
     * the result again), and leading axes are batch axes that broadcast.
     */
    private static List<Tensor> matMul(OpCall call) {
        Tensor a = call.input(0);
        Tensor b = call.input(1);
        if (a.rank() == 0 || b.rank() == 0) {
            throw call.fail("MatMul of a scalar");
        }
        int[] as = a.rank() == 1 ? new int[] {1, a.dim(0)} : a.shape();
        int[] bs = b.rank() == 1 ? new int[] {b.dim(0), 1} : b.shape();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        if (bs[bs.length - 2] != k) {
            throw call.fail("shapes " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()) + " do not multiply");
        }
        int[] aBatch = Arrays.copyOf(as, as.length - 2);
        int[] bBatch = Arrays.copyOf(bs, bs.length - 2);
        int[] batch;
        try {
            batch = Broadcast.shape(aBatch, bBatch);
        } catch (IllegalArgumentException e) {
            throw call.fail("batch axes: " + e.getMessage());
        }
        int[] aStrides = Broadcast.strides(aBatch, batch);
        int[] bStrides = Broadcast.strides(bBatch, batch);
        int batches = Tensor.checkedSize(batch);
        double[] x = a.values();
        double[] y = b.values();
        double[] out = new double[Math.multiplyExact(batches, m * n)];
        int[] index = new int[batch.length];
        for (int t = 0; t < batches; t++) {
            int aOff = 0;
            int bOff = 0;
            for (int d = 0; d < batch.length; d++) {
                aOff += index[d] * aStrides[d];
                bOff += index[d] * bStrides[d];
            }
            multiply(x, aOff * m * k, y, bOff * k * n, out, t * m * n, m, k, n);
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++index[d] < batch[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        int[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = m;
        shape[batch.length + 1] = n;
        if (b.rank() == 1) {
            shape = dropAxis(shape, shape.length - 1);
        }
        if (a.rank() == 1) {
            shape = dropAxis(shape, shape.length - (b.rank() == 1 ? 1 : 2));
        }
        return List.of(Tensor.wrap(shape, out));
    }

    private static void multiply(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[aOff + i * k + p] * b[bOff + p * n + j];
                }
                out[outOff + i * n + j] = sum;
            }
        }
    }

    private static int[] dropAxis(int[] shape, int axis) {
        int[] out = new int[shape.length - 1];
        for (int d = 0, o = 0; d < shape.length; d++) {
            if (d != axis) {
                out[o++] = shape[d];
            }
        }
        return out;
    }

    /** Gemm: alpha * A' * B' + beta * C, where ' is an optional transposition and C broadcasts to [M, N]. */
    private static List<Tensor> gemm(OpCall call) {
        Tensor a = call.input(0);
        Tensor b = call.input(1);
        if (a.rank() != 2 || b.rank() != 2) {
            throw call.fail("A and B must be matrices, not of shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()));
        }
        boolean transA = call.node().intAttr("transA", 0) != 0;
        boolean transB = call.node().intAttr("transB", 0) != 0;
        double alpha = call.node().floatAttr("alpha", 1.0);
        double beta = call.node().floatAttr("beta", 1.0);
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw call.fail("shapes " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape())
                    + " do not multiply (transA " + (transA ? 1 : 0) + ", transB " + (transB ? 1 : 0) + ")");
        }
        double[] x = a.values();
        double[] y = b.values();
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? x[p * m + i] : x[i * k + p];
                    double bv = transB ? y[j * k + p] : y[p * n + j];
                    sum += av * bv;
                }
                out[i * n + j] = alpha * sum;
            }
        }
        Tensor product = Tensor.wrap(new int[] {m, n}, out);
        Tensor c = call.optional(2);
        if (c == null) {
            return List.of(product);
        }
        try {
            Tensor sum = Broadcast.binary(product, c, (p, cv) -> p + beta * cv);
            if (!Arrays.equals(sum.shape(), new int[] {m, n})) {
                throw new IllegalArgumentException("C of shape " + Arrays.toString(c.shape()) + " does not broadcast to ["
                        + m + ", " + n + "]");
            }
            return List.of(sum);
        } catch (IllegalArgumentException e) {
            throw call.fail(e.getMessage());
        }
    }

    /** Window geometry shared by Conv and MaxPool: NCHW, pads [top, left, bottom, right]. */
    private record Window(int kh, int kw, int sh, int sw, int top, int left, int bottom, int right) {
        int outH(int h) {
            return (h + top + bottom - kh) / sh + 1;
        }

        int outW(int w) {
            return (w + left + right - kw) / sw + 1;
        }
    }

    private static Window window(OpCall call, int kh, int kw) {
        String autoPad = call.node().stringAttr("auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET")) {
            throw call.fail("auto_pad " + autoPad + " is not supported (give pads)");
        }
        long[] dilations = call.node().intsAttr("dilations", new long[] {1, 1});
        if (Arrays.stream(dilations).anyMatch(d -> d != 1)) {
            throw call.fail("dilations " + Arrays.toString(dilations) + " are not supported (1 only)");
        }
        long[] strides = call.node().intsAttr("strides", new long[] {1, 1});
        long[] pads = call.node().intsAttr("pads", new long[] {0, 0, 0, 0});
        if (strides.length != 2 || pads.length != 4) {
            throw call.fail("strides " + Arrays.toString(strides) + ", pads " + Arrays.toString(pads)
                    + ": 2-D windows need 2 strides and 4 pads");
        }
        if (strides[0] < 1 || strides[1] < 1 || Arrays.stream(pads).anyMatch(p -> p < 0)) {
            throw call.fail("strides " + Arrays.toString(strides) + ", pads " + Arrays.toString(pads) + " are invalid");
        }
        return new Window(kh, kw, (int) strides[0], (int) strides[1], (int) pads[0], (int) pads[1], (int) pads[2], (int) pads[3]);
    }

    /** 2-D convolution (cross-correlation, as ONNX defines it), NCHW, group 1, optional bias. */
    private static List<Tensor> conv(OpCall call) {
        Tensor x = call.input(0);
        Tensor w = call.input(1);
        Tensor bias = call.optional(2);
        long group = call.node().intAttr("group", 1);
        if (group != 1) {
            throw call.fail("group " + group + " is not supported (group 1 only)");
        }
        if (x.rank() != 4 || w.rank() != 4) {
            throw call.fail("only 2-D convolution (input and weights of rank 4) is supported, not "
                    + Arrays.toString(x.shape()) + " with " + Arrays.toString(w.shape()));
        }
        int batch = x.dim(0);
        int channels = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int filters = w.dim(0);
        if (w.dim(1) != channels) {
            throw call.fail("weights " + Arrays.toString(w.shape()) + " for " + channels + " input channels");
        }
        long[] kernel = call.node().intsAttr("kernel_shape", new long[] {w.dim(2), w.dim(3)});
        if (kernel.length != 2 || kernel[0] != w.dim(2) || kernel[1] != w.dim(3)) {
            throw call.fail("kernel_shape " + Arrays.toString(kernel) + " disagrees with weights " + Arrays.toString(w.shape()));
        }
        if (bias != null && bias.size() != filters) {
            throw call.fail("bias of " + bias.size() + " values for " + filters + " filters");
        }
        Window win = window(call, w.dim(2), w.dim(3));
        int oh = win.outH(h);
        int ow = win.outW(wd);
        if (oh < 1 || ow < 1) {
            throw call.fail("the kernel does not fit the padded input");
        }
        double[] in = x.values();
        double[] k = w.values();
        double[] out = new double[batch * filters * oh * ow];
        int o = 0;
        for (int nb = 0; nb < batch; nb++) {
            for (int f = 0; f < filters; f++) {
                double b0 = bias == null ? 0 : bias.at(f);
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = 0;
                        for (int c = 0; c < channels; c++) {
                            for (int ky = 0; ky < win.kh(); ky++) {
                                int iy = oy * win.sh() - win.top() + ky;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int kx = 0; kx < win.kw(); kx++) {
                                    int ix = ox * win.sw() - win.left() + kx;
                                    if (ix >= 0 && ix < wd) {
                                        sum += in[((nb * channels + c) * h + iy) * wd + ix]
                                                * k[((f * channels + c) * win.kh() + ky) * win.kw() + kx];
                                    }
                                }
                            }
                        }
                        out[o++] = sum + b0;
                    }
                }
            }
        }
        return List.of(Tensor.wrap(new int[] {batch, filters, oh, ow}, out));
    }

    /** 2-D max pooling, NCHW; padding never wins (it counts as minus infinity). */
    private static List<Tensor> maxPool(OpCall call) {
        Tensor x = call.input(0);
        if (call.node().intAttr("ceil_mode", 0) != 0) {
            throw call.fail("ceil_mode 1 is not supported");
        }
        if (call.node().intAttr("storage_order", 0) != 0) {
            throw call.fail("storage_order 1 is not supported");
        }
        if (call.wantsOutput(1)) {
            throw call.fail("the Indices output is not supported");
        }
        if (x.rank() != 4) {
            throw call.fail("only 2-D pooling (input of rank 4) is supported, not " + Arrays.toString(x.shape()));
        }
        long[] kernel = call.node().intsAttr("kernel_shape", null);
        if (kernel == null || kernel.length != 2 || kernel[0] < 1 || kernel[1] < 1) {
            throw call.fail("kernel_shape " + (kernel == null ? "missing" : Arrays.toString(kernel)) + ": two lengths needed");
        }
        Window win = window(call, (int) kernel[0], (int) kernel[1]);
        int batch = x.dim(0);
        int channels = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int oh = win.outH(h);
        int ow = win.outW(wd);
        if (oh < 1 || ow < 1) {
            throw call.fail("the kernel does not fit the padded input");
        }
        double[] in = x.values();
        double[] out = new double[batch * channels * oh * ow];
        int o = 0;
        for (int plane = 0; plane < batch * channels; plane++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < win.kh(); ky++) {
                        int iy = oy * win.sh() - win.top() + ky;
                        for (int kx = 0; kx < win.kw(); kx++) {
                            int ix = ox * win.sw() - win.left() + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                max = Math.max(max, in[(plane * h + iy) * wd + ix]);
                            }
                        }
                    }
                    out[o++] = max;
                }
            }
        }
        return List.of(Tensor.wrap(new int[] {batch, channels, oh, ow}, out));
    }
}
