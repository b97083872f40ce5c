package org.bcflow.qonnx.importer;

import java.util.Map;
import org.bcflow.core.BcflowException;
import org.bcflow.qonnx.Node;
import org.bcflow.qonnx.OnnxGraph;
import org.bcflow.qonnx.Tensor;

/**
 * The values an activation quantizer gives, as codes: value {@code v = alpha * c + beta} for the
 * codes {@code c = 0 .. maxCode}, {@code alpha > 0}. bcflow carries the codes (unsigned
 * integers); alpha and beta go into the constants of the next layer, which is exact because the
 * next accumulator is an integer combination of the codes.
 */
record Levels(int maxCode, double alpha, double beta) {

    /** The quantizer ops, by op type. */
    static boolean isQuantizer(Node n) {
        return switch (n.opType()) {
            case "BipolarQuant", "Quant", "IntQuant", "MultiThreshold" -> OnnxGraph.isQonnxDomain(n.domain());
            case "Sign" -> OnnxGraph.isStandardDomain(n.domain());
            default -> false;
        };
    }

    /** Bits of the codes: the next layer's input width. */
    int codeBits() {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(maxCode));
    }

    /** The code of a value this quantizer gives; refuses a value that is not one of its levels. */
    long code(double v, String where) {
        double c = (v - beta) / alpha;
        long r = Math.round(c);
        if (Math.abs(c - r) > 1e-6 || r < 0 || r > maxCode) {
            throw new BcflowException(where + ": value " + v + " is not one of the quantizer's levels " + beta + " + " + alpha
                    + " * (0.." + maxCode + ")");
        }
        return r;
    }

    /** The same codes after an affine map of the values (a scale or offset the model applies after the quantizer). */
    Levels then(double a, double b) {
        return new Levels(maxCode, alpha * a, beta * a + b);
    }

    static Levels of(Node n, Map<String, Tensor> constants) {
        String where = "node " + n.label();
        switch (n.opType()) {
            case "BipolarQuant" -> {
                double s = scalar(n, 1, constants, "scale");
                positive(where, "scale", s);
                return new Levels(1, 2 * s, -s);
            }
            case "Quant", "IntQuant" -> {
                double s = scalar(n, 1, constants, "scale");
                double z = scalar(n, 2, constants, "zero point");
                double bits = scalar(n, 3, constants, "bit width");
                positive(where, "scale", s);
                if (bits != Math.rint(bits) || bits < 1 || bits > 16) {
                    throw new BcflowException(where + ": bit width " + bits + " is not an integer of 1..16");
                }
                int b = (int) bits;
                boolean signed = n.intAttr("signed", 1) != 0;
                boolean narrow = n.intAttr("narrow", 0) != 0;
                long min = signed ? -(1L << (b - 1)) + (narrow ? 1 : 0) : 0;
                long max = signed ? (1L << (b - 1)) - 1 : (1L << b) - 1 - (narrow ? 1 : 0);
                if (b == 1 && signed) {
                    throw new BcflowException(where + ": a signed 1-bit Quant is not defined by QONNX; use BipolarQuant");
                }
                return new Levels((int) (max - min), s, (min - z) * s);
            }
            case "MultiThreshold" -> {
                Tensor t = constants.get(n.inputs().get(1));
                if (t == null || t.rank() != 2) {
                    throw new BcflowException(where + ": thresholds must be a constant [channels, steps] tensor");
                }
                double scale = n.floatAttr("out_scale", 1.0);
                positive(where, "out_scale", scale);
                return new Levels(t.dim(1), scale, n.floatAttr("out_bias", 0.0));
            }
            case "Sign" -> {
                return new Levels(2, 1, -1);
            }
            default -> throw new IllegalArgumentException(n.opType());
        }
    }

    private static void positive(String where, String what, double v) {
        if (!(v > 0)) {
            throw new BcflowException(where + ": " + what + " " + v + " must be positive");
        }
    }

    /** A constant operand that is one number (or the same number everywhere: a per-channel tensor of equal values). */
    private static double scalar(Node n, int input, Map<String, Tensor> constants, String what) {
        if (n.inputs().size() <= input || n.inputs().get(input).isEmpty()) {
            throw new BcflowException("node " + n.label() + ": its " + what + " is missing");
        }
        Tensor t = constants.get(n.inputs().get(input));
        if (t == null) {
            throw new BcflowException("node " + n.label() + ": its " + what + " is not a constant");
        }
        double v = t.at(0);
        for (int i = 1; i < t.size(); i++) {
            if (t.at(i) != v) {
                throw new BcflowException("node " + n.label() + ": its " + what + " differs between channels; bcflow imports"
                        + " one " + what + " per activation tensor");
            }
        }
        return v;
    }
}
