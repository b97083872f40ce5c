package org.bcflow.qonnx;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * QONNX's quantization ops (domain qonnx.custom_op.general, also under its older names
 * finn.custom_op.general and onnx.brevitas): BipolarQuant, Quant (alias IntQuant) and
 * MultiThreshold, with the semantics of QONNX's reference implementation.
 */
final class QuantOps {
    private QuantOps() {
    }

    static void register(Map<String, Op> ops) {
        ops.put("BipolarQuant", QuantOps::bipolarQuant);
        ops.put("Quant", QuantOps::quant);
        ops.put("IntQuant", QuantOps::quant);
        ops.put("MultiThreshold", QuantOps::multiThreshold);
    }

    /** +scale where x >= 0 (zero included), -scale elsewhere. */
    private static List<Tensor> bipolarQuant(OpCall call) {
        try {
            return List.of(Broadcast.binary(call.input(0), call.input(1), (x, scale) -> (x >= 0 ? 1 : -1) * scale));
        } catch (IllegalArgumentException e) {
            throw call.fail(e.getMessage());
        }
    }

    /**
     * Quant(x, scale, zeropt, bitwidth): q = x / scale + zeropt, clamped to the integer range of
     * the bit width, then rounded, and mapped back as (q - zeropt) * scale. QONNX clamps before
     * it rounds; the order is kept because it differs from rounding first when the bounds are not
     * integers (a non-integer bit width).
     */
    private static List<Tensor> quant(OpCall call) {
        boolean signed = call.node().intAttr("signed", 1) != 0;
        boolean narrow = call.node().intAttr("narrow", 0) != 0;
        String mode = call.node().stringAttr("rounding_mode", "ROUND");
        DoubleUnaryOperator round = rounding(call, mode);
        Tensor[] in = {call.input(0), call.input(1), call.input(2), call.input(3)};
        try {
            return List.of(Broadcast.nary(in, v -> {
                double scale = v[1];
                double zeroPoint = v[2];
                double bits = v[3];
                double min = signed ? -Math.pow(2, bits - 1) + (narrow ? 1 : 0) : 0;
                double max = signed ? Math.pow(2, bits - 1) - 1 : Math.pow(2, bits) - 1 - (narrow ? 1 : 0);
                double q = Math.min(Math.max(v[0] / scale + zeroPoint, min), max);
                return (round.applyAsDouble(q) - zeroPoint) * scale;
            }));
        } catch (IllegalArgumentException e) {
            throw call.fail(e.getMessage());
        }
    }

    /** QONNX's rounding modes, named in any case. */
    private static DoubleUnaryOperator rounding(OpCall call, String mode) {
        return switch (mode.toUpperCase(Locale.ROOT)) {
            case "ROUND" -> Math::rint;
            case "CEIL" -> Math::ceil;
            case "FLOOR" -> Math::floor;
            case "ROUND_TO_ZERO" -> a -> a < 0 ? Math.ceil(a) : Math.floor(a);
            case "HALF_UP" -> a -> a >= 0 ? Math.floor(a + 0.5) : Math.ceil(a - 0.5);
            case "HALF_DOWN" -> a -> a >= 0 ? Math.ceil(a - 0.5) : Math.floor(a + 0.5);
            default -> throw call.fail("rounding_mode " + mode + " is not supported (supported: ROUND, CEIL, FLOOR, "
                    + "ROUND_TO_ZERO, HALF_UP, HALF_DOWN)");
        };
    }

    /**
     * MultiThreshold(x, thresholds[C, T]): the number of a channel's thresholds that x reaches
     * (x >= t), times out_scale, plus out_bias. One row of thresholds (C = 1) serves every channel.
     * The channel axis is 1 for data_layout NCHW (the default) and the last axis for NHWC.
     */
    private static List<Tensor> multiThreshold(OpCall call) {
        Tensor x = call.input(0);
        Tensor t = call.input(1);
        double outScale = call.node().floatAttr("out_scale", 1.0);
        double outBias = call.node().floatAttr("out_bias", 0.0);
        String layout = call.node().stringAttr("data_layout", "NCHW");
        if (x.rank() < 2) {
            throw call.fail("input of rank " + x.rank() + ": MultiThreshold needs a batch and a channel axis");
        }
        int channelAxis = switch (layout) {
            case "NCHW" -> 1;
            case "NHWC" -> x.rank() - 1;
            default -> throw call.fail("data_layout " + layout + " is not supported (NCHW or NHWC)");
        };
        if (t.rank() != 2) {
            throw call.fail("thresholds of shape " + Arrays.toString(t.shape()) + ": [channels, thresholds] expected");
        }
        int channels = x.dim(channelAxis);
        int rows = t.dim(0);
        int steps = t.dim(1);
        if (rows != 1 && rows != channels) {
            throw call.fail(rows + " rows of thresholds for " + channels + " channels");
        }
        int inner = Tensor.strides(x.shape())[channelAxis];
        double[] v = x.values();
        double[] th = t.values();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int row = rows == 1 ? 0 : (i / inner) % channels;
            int count = 0;
            for (int s = 0; s < steps; s++) {
                if (v[i] >= th[row * steps + s]) {
                    count++;
                }
            }
            out[i] = count * outScale + outBias;
        }
        return List.of(Tensor.wrap(x.shape(), out));
    }
}
