package org.bcflow.trainer;

import java.util.Arrays;

/**
 * Batch normalisation per channel and the activation after it, over {@code rows} rows of
 * {@code n} channels (row-major): the rows are a dense layer's images, or a conv layer's images
 * times output positions (one statistic per channel over the batch and the whole map, as for
 * convolutions in the paper's code).
 *
 * <p>Training normalises with the mini-batch mean and biased variance and keeps running averages
 * for inference (momentum {@value #MOMENTUM}: {@code r = 0.9 r + 0.1 batchValue}, the variance
 * unbiased as in PyTorch). Hidden layers pass on {@code clip(y, 0, 1)}, rounded half up to k bits
 * when {@code q = 2^k - 1 > 0}; the gradient passes straight through where {@code 0 < y < 1}.
 * Plain loops over heap arrays that the JIT vectorizes: on these sizes an ND4J element-wise op
 * costs more in dispatch than the work it does.
 */
final class BatchNorm {
    static final float EPS = BinaryMlp.BN_EPS;
    static final float MOMENTUM = BinaryMlp.BN_MOMENTUM;

    private BatchNorm() {
    }

    /**
     * Per-channel statistics of z (held in xhat on entry): batch values in training (each sum
     * taken over the two halves of the rows, then added: the same order on every machine),
     * running averages otherwise. {@code part} is scratch of [2][n].
     */
    static void statistics(SecondCore core, boolean training, int rows, int n, float[] xhat, float[] mean, float[] invStd,
                           float[] runMean, float[] runVar, float[][] part) {
        if (!training) {
            for (int c = 0; c < n; c++) {
                mean[c] = runMean[c];
                invStd[c] = (float) (1 / Math.sqrt(runVar[c] + EPS));
            }
            return;
        }
        long elements = (long) rows * n;
        core.split(rows, elements, (from, to, half) -> {
            float[] sum = part[half];
            Arrays.fill(sum, 0, n, 0f);
            for (int r = from; r < to; r++) {
                for (int c = 0, i = r * n; c < n; c++, i++) {
                    sum[c] += xhat[i];
                }
            }
        });
        for (int c = 0; c < n; c++) {
            mean[c] = (part[0][c] + part[1][c]) / rows;
        }
        core.split(rows, elements, (from, to, half) -> {
            float[] sq = part[half];
            Arrays.fill(sq, 0, n, 0f);
            for (int r = from; r < to; r++) {
                for (int c = 0, i = r * n; c < n; c++, i++) {
                    float dev = xhat[i] - mean[c];
                    sq[c] += dev * dev;
                }
            }
        });
        for (int c = 0; c < n; c++) {
            float var = (part[0][c] + part[1][c]) / rows;            // biased, for normalising
            runMean[c] = (1 - MOMENTUM) * runMean[c] + MOMENTUM * mean[c];
            runVar[c] = (1 - MOMENTUM) * runVar[c] + MOMENTUM * var * rows / (rows - 1);
            invStd[c] = (float) (1 / Math.sqrt(var + EPS));
        }
    }

    /**
     * The k-bit activation values {@code l / q}, q = 2^k - 1, as a table: the same floats as the
     * division, without a division per value. Null for float activations (k = 0).
     */
    static float[] levels(int bits) {
        if (bits == 0) {
            return null;
        }
        float q = (1 << bits) - 1;
        float[] level = new float[(int) q + 1];
        for (int l = 0; l < level.length; l++) {
            level[l] = l / q;
        }
        return level;
    }

    /**
     * Hidden layer: xhat normalised in place, act = clip(y, 0, 1) of y = gamma xhat + beta, k-bit
     * when {@code level} ({@link #levels}) is not null. y itself is not kept: {@link #backward}
     * computes it again from xhat, bit for bit.
     */
    static void hidden(SecondCore core, int rows, int n, float[] xhat, float[] mean, float[] invStd, float[] gamma,
                       float[] beta, float[] act, float[] level) {
        float q = level == null ? 0f : level.length - 1;
        core.split(rows, (long) rows * n, (from, to, half) -> {
            for (int r = from; r < to; r++) {
                for (int c = 0, i = r * n; c < n; c++, i++) {
                    float xh = (xhat[i] - mean[c]) * invStd[c];
                    float y = gamma[c] * xh + beta[c];
                    xhat[i] = xh;
                    float a = Math.min(1f, Math.max(0f, y));          // clip(y, 0, 1)
                    // k bits, rounded half up; a >= 0, so the int conversion is the floor
                    act[i] = q > 0 ? level[(int) (a * q + 0.5f)] : a;
                }
            }
        });
    }

    /** Output layer: xhat normalised in place, act = gamma xhat + beta (the scores). */
    static void output(int rows, int n, float[] xhat, float[] mean, float[] invStd, float[] gamma, float[] beta, float[] act) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0, i = r * n; c < n; c++, i++) {
                float xh = (xhat[i] - mean[c]) * invStd[c];
                xhat[i] = xh;
                act[i] = gamma[c] * xh + beta[c];
            }
        }
    }

    /**
     * From dL/dy in d to dL/dz in d, with the gradients of gamma and beta:
     * {@code dL/dz = gamma / sqrt(var + eps) / R * (R dy - sum(dy) - xhat sum(dy xhat))}, R = rows.
     * For a hidden layer ({@code hidden}), first the dropout factors {@code drop} (unless null)
     * apply and d is zeroed outside 0 < y < 1, y = gamma xhat + beta (the clip's gradient).
     * {@code partG} and {@code partB} are scratch of [2][n].
     */
    static void backward(SecondCore core, int rows, int n, float[] d, float[] xhat, boolean hidden, float[] drop,
                         float[] gamma, float[] beta, float[] invStd, float[] scale, float[] gradGamma, float[] gradBeta,
                         float[][] partG, float[][] partB) {
        long elements = (long) rows * n;
        core.split(rows, elements, (from, to, half) -> {
            if (drop != null) {
                for (int i = from * n; i < to * n; i++) {
                    d[i] *= drop[i];
                }
            }
            if (hidden) {
                for (int r = from; r < to; r++) {
                    for (int c = 0, i = r * n; c < n; c++, i++) {
                        d[i] = insideUnitInterval(d[i], gamma[c] * xhat[i] + beta[c]);
                    }
                }
            }
            float[] g = partG[half];
            float[] b = partB[half];
            Arrays.fill(g, 0, n, 0f);
            Arrays.fill(b, 0, n, 0f);
            for (int r = from; r < to; r++) {
                for (int c = 0, i = r * n; c < n; c++, i++) {
                    g[c] += d[i] * xhat[i];
                    b[c] += d[i];
                }
            }
        });
        for (int c = 0; c < n; c++) {
            gradGamma[c] = partG[0][c] + partG[1][c];
            gradBeta[c] = partB[0][c] + partB[1][c];
            scale[c] = gamma[c] * invStd[c] / rows;
        }
        core.split(rows, elements, (from, to, half) -> {
            for (int r = from; r < to; r++) {
                for (int c = 0, i = r * n; c < n; c++, i++) {
                    d[i] = scale[c] * (rows * d[i] - gradBeta[c] - xhat[i] * gradGamma[c]);
                }
            }
        });
    }

    /**
     * d[i] = 0 unless 0 < pre[i] < 1: the gradient of clip(y, 0, 1) (and of the k-bit rounding,
     * straight through). Branch-free on the bits, because pre falls inside or outside at random and
     * a branch mispredicts on every other element: positive floats order as their bits, so
     * 0 < pre < 1 exactly when the bits, as an int, lie in [1, 0x3F7FFFFF] (negatives and NaN fall
     * outside); the sign bit of (bits - 1) | (0x3F7FFFFF - bits) is then clear, and the mask made
     * of it keeps or clears all of d's bits.
     */
    static void passInsideUnitInterval(float[] d, float[] pre, int from, int to) {
        for (int i = from; i < to; i++) {
            d[i] = insideUnitInterval(d[i], pre[i]);
        }
    }

    /** d if 0 < y < 1, else 0 (see {@link #passInsideUnitInterval}). */
    static float insideUnitInterval(float d, float y) {
        int bits = Float.floatToRawIntBits(y);
        int keep = ~((bits - 1) | (0x3F7FFFFF - bits)) >> 31;
        return Float.intBitsToFloat(Float.floatToRawIntBits(d) & keep);
    }
}
