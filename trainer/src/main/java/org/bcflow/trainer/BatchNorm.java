package org.bcflow.trainer;

import java.nio.FloatBuffer;
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
 * Plain loops over heap arrays: on a dense layer's sizes an ND4J element-wise op costs more in
 * dispatch than the work it does. A conv layer's millions of values do not fit in the cache, and
 * the time goes into moving them, so the passes work on blocks (a few images' rows, {@link #CHUNK}
 * values or one image) read from the native z into a small buffer that stays in the cache; z, xhat
 * and y are never stored on the heap (computed again from the native z where needed), and the
 * backward pass writes dL/dz straight into the native array.
 */
final class BatchNorm {
    static final float EPS = BinaryMlp.BN_EPS;
    static final float MOMENTUM = BinaryMlp.BN_MOMENTUM;

    private BatchNorm() {
    }

    /** Values a block of rows should hold: about 64 KB, which stays in the L2 cache beside its neighbours. */
    static final int CHUNK = 1 << 14;

    /** Images per block for {@code valuesPerImage} values each: at least one. */
    static int blockImages(long valuesPerImage) {
        return (int) Math.max(1, CHUNK / valuesPerImage);
    }

    /** Work on a block of z while it is in the cache: images [first, end), z's value at batch index g in {@code z[g - offset]}. */
    interface BlockOfZ {
        void accept(float[] z, int offset, int first, int end);
    }

    /**
     * Sets the per-channel mean and 1/std normalising z: the batch's (training; the running
     * averages move towards them) or the running averages. In training, each block's mean and sum
     * of squared deviations are taken from the native z while the block is in {@code buffer}
     * (of its half), and combined (Chan, Golub and LeVeque's update, in double) block after block
     * in each half of the images, then half 0 with half 1: the same order, and the same floats, on
     * every machine. {@code alsoPerBlock} (unless null) gets each block too, in training or not:
     * the one read of z serves both.
     */
    static void statistics(SecondCore core, boolean training, int images, int rowsPerImage, int n, FloatBuffer z,
                           float[][] buffer, float[] mean, float[] invStd, float[] runMean, float[] runVar, Moments[] half,
                           BlockOfZ alsoPerBlock) {
        int perImage = rowsPerImage * n;
        int block = blockImages(perImage);
        if (training || alsoPerBlock != null) {
            core.split(images, (long) images * perImage, (from, to, h) -> {
                Moments m = half[h];
                m.clear();
                for (int b = from; b < to; b += block) {
                    int end = Math.min(to, b + block);
                    int values = (end - b) * perImage;
                    z.get(b * perImage, buffer[h], 0, values);
                    if (training) {
                        m.addRows(buffer[h], values / n);
                    }
                    if (alsoPerBlock != null) {
                        alsoPerBlock.accept(buffer[h], b * perImage, b, end);
                    }
                }
            });
        }
        if (!training) {
            for (int c = 0; c < n; c++) {
                mean[c] = runMean[c];
                invStd[c] = (float) (1 / Math.sqrt(runVar[c] + EPS));
            }
            return;
        }
        half[0].add(half[1]);
        int rows = images * rowsPerImage;
        for (int c = 0; c < n; c++) {
            float batchMean = (float) half[0].mean[c];
            float var = (float) (half[0].m2[c] / rows);                 // biased, for normalising
            mean[c] = batchMean;
            runMean[c] = (1 - MOMENTUM) * runMean[c] + MOMENTUM * batchMean;
            runVar[c] = (1 - MOMENTUM) * runVar[c] + MOMENTUM * var * rows / (rows - 1);
            invStd[c] = (float) (1 / Math.sqrt(var + EPS));
        }
    }

    /** Count, mean and sum of squared deviations per channel of the rows seen so far. */
    static final class Moments {
        final int n;
        double count;
        final double[] mean, m2;
        private final float[] blockDev, blockSq;

        Moments(int n) {
            this.n = n;
            mean = new double[n];
            m2 = new double[n];
            blockDev = new float[n];
            blockSq = new float[n];
        }

        void clear() {
            count = 0;
            Arrays.fill(mean, 0);
            Arrays.fill(m2, 0);
        }

        /**
         * Adds the first {@code rows} rows of z, in one pass: the sums of the deviations from the
         * block's first row and of their squares give the block's mean and sum of squared
         * deviations ("shifted data"): exact enough however far the mean lies from zero, as the
         * shift is a value of the block itself.
         */
        void addRows(float[] z, int rows) {
            Arrays.fill(blockDev, 0f);
            Arrays.fill(blockSq, 0f);
            for (int r = 0; r < rows; r++) {
                for (int c = 0, i = r * n; c < n; c++, i++) {
                    float dev = z[i] - z[c];
                    blockDev[c] += dev;
                    blockSq[c] += dev * dev;
                }
            }
            double total = count + rows;
            for (int c = 0; c < n; c++) {
                double m = z[c] + (double) blockDev[c] / rows;
                double sq = blockSq[c] - (double) blockDev[c] * blockDev[c] / rows;
                double delta = m - mean[c];
                mean[c] += delta * rows / total;
                m2[c] += sq + delta * delta * count * rows / total;
            }
            count = total;
        }

        void add(Moments other) {
            double total = count + other.count;
            for (int c = 0; c < n; c++) {
                double delta = other.mean[c] - mean[c];
                mean[c] += delta * other.count / total;
                m2[c] += other.m2[c] + delta * delta * count * other.count / total;
            }
            count = total;
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
     * {@code rows} rows of z (from {@code zAt}) to y (from {@code yAt}) = gamma xhat + beta,
     * xhat = (z - mean) / std: an output layer's scores, or a hidden layer's input to
     * {@link #activate}.
     */
    static void affine(int rows, int n, float[] z, int zAt, float[] mean, float[] invStd, float[] gamma, float[] beta,
                       float[] y, int yAt) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0, i = r * n; c < n; c++, i++) {
                float xh = (z[zAt + i] - mean[c]) * invStd[c];
                y[yAt + i] = gamma[c] * xh + beta[c];
            }
        }
    }

    /**
     * y[from, to) to their activations in place: clip(y, 0, 1), k-bit when {@code level}
     * ({@link #levels}) is not null.
     */
    static void activate(float[] y, int from, int to, float[] level) {
        if (level == null) {
            for (int i = from; i < to; i++) {
                y[i] = Math.min(1f, Math.max(0f, y[i]));
            }
            return;
        }
        int top = level.length - 1;
        float q = top;
        for (int i = from; i < to; i++) {
            // k bits of clip(y, 0, 1), rounded half up: the level of y q + 1/2, clamped as an int (cheaper than
            // clipping the float first, and the same level: the int conversion is the floor for y q + 1/2 >= 0,
            // and at most 0 below)
            y[i] = level[Math.max(0, Math.min(top, (int) (y[i] * q + 0.5f)))];
        }
    }

    /**
     * The backward pass's first half, on {@code rows} rows of z and of dL/dy (d from {@code at}):
     * adds {@code sum(g xhat)} and {@code sum(g)} per channel to {@code gSum} and {@code bSum},
     * g being dL/dy with, for a hidden layer, the clip's gradient applied (zero outside
     * 0 < y < 1, y computed again from z bit for bit as the forward pass did).
     */
    static void backwardSums(int rows, int n, float[] d, int at, float[] z, boolean hidden, float[] mean, float[] invStd,
                             float[] gamma, float[] beta, float[] gSum, float[] bSum) {
        for (int r = 0; r < rows; r++) {
            if (hidden) {
                for (int c = 0, i = r * n; c < n; c++, i++) {
                    float xh = (z[i] - mean[c]) * invStd[c];
                    float g = insideUnitInterval(d[at + i], gamma[c] * xh + beta[c]);
                    gSum[c] += g * xh;
                    bSum[c] += g;
                }
            } else {
                for (int c = 0, i = r * n; c < n; c++, i++) {
                    float xh = (z[i] - mean[c]) * invStd[c];
                    gSum[c] += d[at + i] * xh;
                    bSum[c] += d[at + i];
                }
            }
        }
    }

    /**
     * The backward pass's second half, on the same rows, into {@code dz}:
     * {@code dL/dz = gamma / sqrt(var + eps) / R * (R g - sum(g) - xhat sum(g xhat))}, R = all
     * rows of the batch ({@code batchRows}), g as in {@link #backwardSums},
     * {@code scale = gamma / sqrt(var + eps) / R}.
     */
    static void backwardInput(int rows, int n, int batchRows, float[] d, int at, float[] z, boolean hidden, float[] mean,
                              float[] invStd, float[] gamma, float[] beta, float[] scale, float[] gradGamma,
                              float[] gradBeta, float[] dz) {
        for (int r = 0; r < rows; r++) {
            if (hidden) {
                for (int c = 0, i = r * n; c < n; c++, i++) {
                    float xh = (z[i] - mean[c]) * invStd[c];
                    float g = insideUnitInterval(d[at + i], gamma[c] * xh + beta[c]);
                    dz[i] = scale[c] * (batchRows * g - gradBeta[c] - xh * gradGamma[c]);
                }
            } else {
                for (int c = 0, i = r * n; c < n; c++, i++) {
                    float xh = (z[i] - mean[c]) * invStd[c];
                    dz[i] = scale[c] * (batchRows * d[at + i] - gradBeta[c] - xh * gradGamma[c]);
                }
            }
        }
    }

    /**
     * {@link #backwardSums} for a hidden layer under a max-pool, whose dL/dy is zero but at each
     * window's maximum: over the pool's outputs [from, to) (rows of n channels) alone, g from the
     * pool's output gradient {@code dOut} and z at the maximum, {@code zAtMax}.
     */
    static void backwardSumsAtMaxima(int from, int to, int n, float[] dOut, float[] zAtMax, float[] mean, float[] invStd,
                                     float[] gamma, float[] beta, float[] gSum, float[] bSum) {
        for (int o = from; o < to; o += n) {
            for (int c = 0; c < n; c++) {
                float xh = (zAtMax[o + c] - mean[c]) * invStd[c];
                float g = insideUnitInterval(dOut[o + c], gamma[c] * xh + beta[c]);
                gSum[c] += g * xh;
                bSum[c] += g;
            }
        }
    }

    /**
     * {@link #backwardInput} for a hidden layer under a max-pool, on {@code rows} rows of z whose
     * first is batch row {@code offset / n}: {@code scale (-sum(g) - xhat sum(g xhat))} where g = 0,
     * then written again at the maxima of the pool's outputs [from, to), which {@code at} places
     * (batch indices): the same floats as backwardInput on the pool's dense gradient.
     */
    static void backwardInputUnderPool(int rows, int n, int batchRows, float[] z, float[] mean, float[] invStd,
                                       float[] gamma, float[] beta, float[] scale, float[] gradGamma, float[] gradBeta,
                                       float[] dz, int offset, int from, int to, float[] dOut, float[] zAtMax, int[] at) {
        for (int r = 0, j = 0; r < rows; r++) {
            for (int c = 0; c < n; c++, j++) {
                float xh = (z[j] - mean[c]) * invStd[c];
                dz[j] = scale[c] * (-gradBeta[c] - xh * gradGamma[c]);
            }
        }
        for (int o = from; o < to; o += n) {
            for (int c = 0; c < n; c++) {
                float xh = (zAtMax[o + c] - mean[c]) * invStd[c];
                float g = insideUnitInterval(dOut[o + c], gamma[c] * xh + beta[c]);
                dz[at[o + c] - offset] = scale[c] * (batchRows * g - gradBeta[c] - xh * gradGamma[c]);
            }
        }
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
