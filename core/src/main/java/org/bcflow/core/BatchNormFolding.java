package org.bcflow.core;

/**
 * Folds a layer's float post-processing into the integer form of {@link DenseLayer}.
 *
 * <p>The float model computes, per neuron, {@code y = a * (acc / inputScale) + c} where acc is
 * the binary dot product over integer inputs, {@code inputScale} turns those integers back into
 * the float inputs (255 for pixels in [0, 1], 2^k - 1 for k-bit activations in [0, 1]), and
 * {@code a = gamma / sqrt(var + eps)}, {@code c = beta - a * mean} (bias folded into c).
 *
 * <ul>
 *   <li>hidden layer, k output bits: the activation is clip(y, 0, 1) quantized to
 *       {@code round(clip(y, 0, 1) * (2^k - 1))}, computed as
 *       {@code clamp(floor(acc * m + c * Q + 1/2), 0, Q)} with {@code m = a * Q / inputScale};</li>
 *   <li>output layer: the score is y scaled by 2^shift' so that argmax is preserved.</li>
 * </ul>
 *
 * m and the offset are scaled by 2^shift and rounded, with the shift as large as the multiplier
 * width allows. A negative gamma gives a negative multiplier, which the integer form carries as
 * it is (no comparison to flip).
 */
public final class BatchNormFolding {
    /** Signed bits of the multiplier constants produced here (<= {@link DenseLayer#MAX_MUL_BITS}). */
    public static final int MUL_BITS = 16;

    private BatchNormFolding() {
    }

    /** The integer constants of one layer. */
    public record Folded(long[] mul, long[] add, int shift) {
    }

    /** Folds a hidden layer whose output is a k-bit activation. */
    public static Folded hidden(double[] a, double[] c, double inputScale, int outputBits) {
        double q = (1L << outputBits) - 1;
        double[] m = new double[a.length];
        double[] o = new double[a.length];
        for (int n = 0; n < a.length; n++) {
            m[n] = a[n] * q / inputScale;
            o[n] = c[n] * q + 0.5;
        }
        int shift = shiftFor(m);
        return new Folded(scale(m, shift), scale(o, shift), shift);
    }

    /** Folds the output layer: scores are y * 2^shift, exact up to the rounding of the constants. */
    public static Folded output(double[] a, double[] c, double inputScale) {
        double[] m = new double[a.length];
        for (int n = 0; n < a.length; n++) {
            m[n] = a[n] / inputScale;
        }
        int shift = shiftFor(m);
        return new Folded(scale(m, shift), scale(c, shift), 0);
    }

    private static int shiftFor(double[] m) {
        double max = 0;
        for (double v : m) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("batch norm scale is not finite: " + v);
            }
            max = Math.max(max, Math.abs(v));
        }
        double limit = (1L << (MUL_BITS - 1)) - 1;
        int shift = 0;
        while (shift < 40 && max * Math.scalb(1.0, shift + 1) <= limit) {
            shift++;
        }
        return shift;
    }

    private static long[] scale(double[] v, int shift) {
        long[] out = new long[v.length];
        for (int n = 0; n < v.length; n++) {
            double s = Math.floor(Math.scalb(v[n], shift) + 0.5);
            if (Math.abs(s) > 1e17) {
                throw new IllegalArgumentException("batch norm offset " + v[n] + " is too large to fold");
            }
            out[n] = (long) s;
        }
        return out;
    }
}
