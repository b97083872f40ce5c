package org.bcflow.qonnx;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Standard ONNX ops that work value by value: arithmetic with broadcasting, rounding, clipping,
 * and inference-mode batch normalization. All in double: the graphs bcflow imports compute in
 * float32, and double is exact wherever float32 is (sums of small integers, powers of two).
 */
final class ElementwiseOps {
    private ElementwiseOps() {
    }

    static void register(Map<String, Op> ops) {
        binary(ops, "Add", Double::sum);
        binary(ops, "Sub", (a, b) -> a - b);
        binary(ops, "Mul", (a, b) -> a * b);
        binary(ops, "Div", (a, b) -> a / b);
        binary(ops, "Pow", Math::pow);
        binary(ops, "Max", Math::max);
        binary(ops, "Min", Math::min);
        unary(ops, "Neg", a -> -a);
        unary(ops, "Sqrt", Math::sqrt);
        unary(ops, "Abs", Math::abs);
        unary(ops, "Exp", Math::exp);
        // ONNX's Sign is 0 at 0 (and +0.0 rather than Java's -0.0 at -0.0)
        unary(ops, "Sign", a -> a > 0 ? 1 : a < 0 ? -1 : a == 0 ? 0 : a);
        unary(ops, "Floor", Math::floor);
        unary(ops, "Ceil", Math::ceil);
        // ONNX's Round goes to even on halves, as Math.rint does
        unary(ops, "Round", Math::rint);
        unary(ops, "Relu", a -> Math.max(a, 0));
        unary(ops, "Identity", a -> a);
        ops.put("Clip", ElementwiseOps::clip);
        ops.put("BatchNormalization", ElementwiseOps::batchNormalization);
    }

    private static void binary(Map<String, Op> ops, String type, DoubleBinaryOperator f) {
        ops.put(type, call -> {
            try {
                return List.of(Broadcast.binary(call.input(0), call.input(1), f));
            } catch (IllegalArgumentException e) {
                throw call.fail(e.getMessage());
            }
        });
    }

    private static void unary(Map<String, Op> ops, String type, DoubleUnaryOperator f) {
        ops.put(type, call -> List.of(Broadcast.unary(call.input(0), f)));
    }

    /**
     * Clip: the bounds are the attributes min and max before opset 11 and optional inputs 2 and 3
     * from then on. Whichever form the node carries is used, so both kinds of file run.
     */
    private static List<Tensor> clip(OpCall call) {
        double min = call.node().floatAttr("min", Double.NEGATIVE_INFINITY);
        double max = call.node().floatAttr("max", Double.POSITIVE_INFINITY);
        if (call.optional(1) != null) {
            min = scalar(call, 1, "min");
        }
        if (call.optional(2) != null) {
            max = scalar(call, 2, "max");
        }
        double lo = min;
        double hi = max;
        return List.of(Broadcast.unary(call.input(0), a -> Math.min(Math.max(a, lo), hi)));
    }

    private static double scalar(OpCall call, int i, String what) {
        Tensor t = call.input(i);
        if (t.size() != 1) {
            throw call.fail(what + " must be a single value, not a tensor of shape " + java.util.Arrays.toString(t.shape()));
        }
        return t.at(0);
    }

    /**
     * Inference-mode batch normalization over axis 1: (x - mean) / sqrt(var + epsilon) * scale + B.
     * The training-mode outputs (running mean and variance) are not produced.
     */
    private static List<Tensor> batchNormalization(OpCall call) {
        if (call.node().intAttr("training_mode", 0) != 0) {
            throw call.fail("training_mode 1 is not supported (inference only)");
        }
        for (int i = 1; i < call.node().outputs().size(); i++) {
            if (call.wantsOutput(i)) {
                throw call.fail("output " + (i + 1) + " (training statistics) is not supported");
            }
        }
        Tensor x = call.input(0);
        if (x.rank() < 2) {
            throw call.fail("input of rank " + x.rank() + ": the channel axis 1 needs rank 2 or more");
        }
        int channels = x.dim(1);
        // the default is ONNX's float32 1e-5, the value a file stating it explicitly holds
        double epsilon = call.node().floatAttr("epsilon", 1e-5f);
        Tensor[] params = new Tensor[5];
        params[0] = x;
        String[] names = {"scale", "B", "mean", "var"};
        int[] perChannel = new int[x.rank() - 1];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[0] = channels;
        for (int k = 1; k <= 4; k++) {
            Tensor p = call.input(k);
            if (p.size() != channels) {
                throw call.fail(names[k - 1] + " holds " + p.size() + " values for " + channels + " channels");
            }
            params[k] = p.reshape(perChannel);
        }
        return List.of(Broadcast.nary(params, v -> (v[0] - v[3]) / Math.sqrt(v[4] + epsilon) * v[1] + v[2]));
    }
}
