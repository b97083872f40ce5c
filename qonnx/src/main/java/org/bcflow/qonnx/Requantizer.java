package org.bcflow.qonnx;

import java.util.List;
import org.bcflow.core.DenseLayer;
import org.bcflow.qonnx.ExportAssembly.Attr;

/**
 * The nodes that turn a weight layer's accumulators into its outputs, per output channel, as the
 * integer network does: the codes of a hidden layer (by explicit thresholds, or by multiply-add,
 * shift and clamp) or the scores of the last one. Every tensor they produce holds integers, so
 * double evaluation gives the integer network's values exactly (see {@link ExactnessGuard}).
 */
final class Requantizer {
    private final ExportAssembly g;
    private final DenseLayer layer;
    private final String prefix;
    private final int[] channelShape;  // [1, O] after a dense layer, [1, O, 1, 1] after a conv (NCHW)

    /**
     * @param mapOutput whether the accumulators are an NCHW map (a conv layer) rather than a
     *                  {@code [1, O]} vector: the per-channel constants broadcast along axis 1
     */
    Requantizer(ExportAssembly g, DenseLayer layer, boolean mapOutput) {
        this.g = g;
        this.layer = layer;
        this.prefix = layer.name() + "_";
        this.channelShape = mapOutput ? new int[] {1, layer.outputs(), 1, 1} : new int[] {1, layer.outputs()};
    }

    /** A hidden layer's codes, {@code bits}-bit (the next weight layer's input width), in {@code output}. */
    String hidden(String acc, int bits, String output) {
        String dtype = "UINT" + bits;
        if (layer.hasThresholds()) {
            // MultiThreshold counts the thresholds acc reaches (acc >= t): the definition of out[n].
            int steps = (1 << bits) - 1;
            double[] t = new double[layer.outputs() * steps];
            for (int n = 0; n < layer.outputs(); n++) {
                long[] row = layer.thresholds(n);
                for (int j = 0; j < steps; j++) {
                    t[n * steps + j] = row[j];
                }
            }
            String thresholds = g.constant(prefix + "thresholds", Tensor.of(new int[] {layer.outputs(), steps}, t));
            g.qonnxNode(prefix + "multithreshold", "MultiThreshold", List.of(acc, thresholds), output,
                    Attr.ofFloat("out_scale", 1.0), Attr.ofFloat("out_bias", 0.0), Attr.ofString("out_dtype", dtype),
                    Attr.ofString("data_layout", "NCHW"));
        } else {
            String sum = mulAdd(acc, prefix + "sum");
            // Quant computes clamp(sum / 2^shift, 0, 2^bits - 1), floors it and multiplies by 2^shift
            // again. QONNX clamps before it rounds, the integer network after; with integer bounds the
            // two orders agree (floor is monotone and leaves integers alone), so this is
            // 2^shift * clamp(floor(sum / 2^shift), 0, 2^bits - 1), and the Mul by 2^-shift leaves the codes.
            String scale = g.scalar(prefix + "quant_scale", Math.scalb(1.0, layer.shift()));
            String zero = g.scalar(prefix + "quant_zeropt", 0);
            String width = g.scalar(prefix + "quant_bitwidth", bits);
            String quantized = g.qonnxNode(prefix + "quant", "Quant", List.of(sum, scale, zero, width), prefix + "quantized",
                    Attr.ofInt("signed", 0), Attr.ofInt("narrow", 0), Attr.ofString("rounding_mode", "FLOOR"));
            String unscale = g.scalar(prefix + "inv_scale", Math.scalb(1.0, -layer.shift()));
            g.node(prefix + "unscale", "Mul", List.of(quantized, unscale), output);
        }
        g.datatype(output, dtype);
        return output;
    }

    /** The last layer's scores, {@code floor((acc * mul + add) / 2^shift)}, signed and not clamped, in {@code output}. */
    String scores(String acc, String output) {
        if (layer.shift() == 0) {
            return mulAdd(acc, output);
        }
        String sum = mulAdd(acc, prefix + "sum");
        String unscale = g.scalar(prefix + "inv_scale", Math.scalb(1.0, -layer.shift()));
        // a power of two scales an integer exactly; Floor is then the arithmetic shift right
        String scaled = g.node(prefix + "unscale", "Mul", List.of(sum, unscale), prefix + "shifted");
        return g.node(prefix + "floor", "Floor", List.of(scaled), output);
    }

    /**
     * {@code acc * mul + add}: one Mul, then one Add per float32 part of the offsets (usually one;
     * see {@link ExactnessGuard#float32Parts}), the last of them writing {@code output}. Every
     * partial sum is an integer below 2^53.
     */
    private String mulAdd(String acc, String output) {
        int o = layer.outputs();
        double[] mul = new double[o];
        double[][] parts = new double[o][];
        int partCount = 1;  // at least one Add, even of zeros, so that the graph reads as the formula
        for (int n = 0; n < o; n++) {
            mul[n] = layer.mul(n);
            parts[n] = ExactnessGuard.float32Parts(layer.add(n));
            partCount = Math.max(partCount, parts[n].length);
        }
        String mulConst = g.constant(prefix + "mul", Tensor.of(channelShape, mul));
        String sum = g.node(prefix + "times_mul", "Mul", List.of(acc, mulConst), prefix + "product");
        for (int p = 0; p < partCount; p++) {
            double[] add = new double[o];
            for (int n = 0; n < o; n++) {
                add[n] = p < parts[n].length ? parts[n][p] : 0;
            }
            String suffix = p == 0 ? "" : Integer.toString(p);
            String addConst = g.constant(prefix + "add" + suffix, Tensor.of(channelShape, add));
            String out = p + 1 == partCount ? output : prefix + "partial_sum" + suffix;
            sum = g.node(prefix + "plus_add" + suffix, "Add", List.of(sum, addConst), out);
        }
        return sum;
    }
}
