package org.bcflow.trainer;

/**
 * The optimizer steps, as loops the JIT vectorizes: Adam and Nesterov momentum, with and without
 * clipping the parameters to [lo, hi] in the same pass.
 */
final class Optimizer {
    static final double ADAM_BETA1 = 0.9;
    static final double ADAM_BETA2 = 0.999;
    static final float ADAM_EPS = 1e-8f;
    static final float NESTEROV_MOMENTUM = 0.9f;

    private Optimizer() {
    }

    /** {@link #adam} on elements [from, to), then p clipped to [lo, hi]. */
    static void adamClip(float[] p, float[] g, float[] m, float[] v, float lrT, float lo, float hi, int from, int to) {
        final float b1 = (float) ADAM_BETA1;
        final float b2 = (float) ADAM_BETA2;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + (1 - b1) * gi;
            float vi = b2 * v[i] + (1 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = Math.min(hi, Math.max(lo, p[i] - lrT * mi / ((float) Math.sqrt(vi) + ADAM_EPS)));
        }
    }

    /** {@link #nesterov} on elements [from, to), then p clipped to [lo, hi]. */
    static void nesterovClip(float[] p, float[] g, float[] v, float lr, float lo, float hi, int from, int to) {
        final float mu = NESTEROV_MOMENTUM;
        for (int i = from; i < to; i++) {
            float vi = mu * v[i] - lr * g[i];
            v[i] = vi;
            p[i] = Math.min(hi, Math.max(lo, p[i] + mu * vi - lr * g[i]));
        }
    }

    /**
     * Adam as in the paper's Lasagne code: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
     * p -= lrT m / (sqrt(v) + eps), where lrT = lr sqrt(1 - b2^t) / (1 - b1^t).
     */
    static void adam(float[] p, float[] g, float[] m, float[] v, float lrT) {
        final float b1 = (float) ADAM_BETA1;
        final float b2 = (float) ADAM_BETA2;
        for (int i = 0; i < p.length; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            p[i] -= lrT * m[i] / ((float) Math.sqrt(v[i]) + ADAM_EPS);
        }
    }

    /** Lasagne's nesterov_momentum: v = mu v - lr g, p += mu v - lr g. */
    static void nesterov(float[] p, float[] g, float[] v, float lr) {
        final float mu = NESTEROV_MOMENTUM;
        for (int i = 0; i < p.length; i++) {
            v[i] = mu * v[i] - lr * g[i];
            p[i] += mu * v[i] - lr * g[i];
        }
    }
}
