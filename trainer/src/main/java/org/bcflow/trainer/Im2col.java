package org.bcflow.trainer;

import java.util.Arrays;

/**
 * Lays the k x k windows of a batch of HWC feature maps out as the rows of a matrix, so that a
 * convolution is one matrix product; and back, adding the gradient of each window onto the map
 * (its input gradient).
 *
 * <p>Row {@code (b * outH + y) * outW + x} holds window (y, x) of image b, column
 * {@code (ky * k + kx) * C + c} the value at {@code (y + ky - pad, x + kx - pad, c)}, 0 outside the
 * map: the column order of the integer network's conv matrix. In HWC a window row
 * {@code (ky, kx = 0..k-1, c)} is one contiguous run of {@code k * C} values, so each is one
 * {@code System.arraycopy} (cut at the borders) rather than a loop over values.
 */
final class Im2col {
    private Im2col() {
    }

    /**
     * Lays out images [first, end) of the batch.
     *
     * @param src    batch maps, image after image, each {@code h x w x c} in HWC
     * @param dst    the rows of these images, {@code (end - first) * outH * outW} rows of {@code k * k * c} values,
     *               image {@code first}'s first (a buffer of a few images' rows stays in the cache)
     */
    static void gather(float[] src, int first, int end, int c, int h, int w, int k, int pad, int outH, int outW, float[] dst) {
        int cols = k * k * c;
        int run = k * c;
        int image = h * w * c;
        if (c == 1 && k <= 5) {
            gatherSingleChannel(src, first, end, h, w, k, pad, outH, outW, dst);
            return;
        }
        for (int b = first; b < end; b++) {
            int srcBase = b * image;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    int row = (((b - first) * outH + y) * outW + x) * cols;
                    int x0 = x - pad;
                    int from = Math.max(0, -x0);             // first kx inside the map
                    int to = Math.min(k, w - x0);            // one past the last
                    for (int ky = 0; ky < k; ky++) {
                        int sy = y + ky - pad;
                        int d = row + ky * run;
                        if (sy < 0 || sy >= h || from >= to) {
                            Arrays.fill(dst, d, d + run, 0f);
                            continue;
                        }
                        if (from > 0) {
                            Arrays.fill(dst, d, d + from * c, 0f);
                        }
                        System.arraycopy(src, srcBase + (sy * w + x0 + from) * c, dst, d + from * c, (to - from) * c);
                        if (to < k) {
                            Arrays.fill(dst, d + to * c, d + run, 0f);
                        }
                    }
                }
            }
        }
    }

    /** One channel: runs of k values are too short for arraycopy to pay, so a plain loop per value. */
    private static void gatherSingleChannel(float[] src, int first, int end, int h, int w, int k, int pad, int outH, int outW,
                                            float[] dst) {
        int cols = k * k;
        int i = 0;
        for (int b = first; b < end; b++) {
            int srcBase = b * h * w;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    for (int ky = 0; ky < k; ky++) {
                        int sy = y + ky - pad;
                        boolean rowInside = sy >= 0 && sy < h;
                        for (int kx = 0; kx < k; kx++) {
                            int sx = x + kx - pad;
                            dst[i++] = rowInside && sx >= 0 && sx < w ? src[srcBase + sy * w + sx] : 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * The reverse of {@link #gather} for gradients: zeroes the maps of images [first, end) in
     * {@code dst} and adds every window row of {@code src} (laid out as {@link #gather}'s
     * {@code dst}: these images' rows only) back onto the positions it was gathered from (values
     * that fell on the padding are dropped).
     */
    static void scatterAdd(float[] src, int first, int end, int c, int h, int w, int k, int pad, int outH, int outW, float[] dst) {
        int cols = k * k * c;
        int image = h * w * c;
        java.util.Arrays.fill(dst, first * image, end * image, 0f);
        for (int b = first; b < end; b++) {
            int dstBase = b * image;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    int row = (((b - first) * outH + y) * outW + x) * cols;
                    int x0 = x - pad;
                    int from = Math.max(0, -x0);
                    int to = Math.min(k, w - x0);
                    for (int ky = 0; ky < k; ky++) {
                        int sy = y + ky - pad;
                        if (sy < 0 || sy >= h || from >= to) {
                            continue;
                        }
                        int s = row + (ky * k + from) * c;
                        int d = dstBase + (sy * w + x0 + from) * c;
                        for (int i = 0, n = (to - from) * c; i < n; i++) {
                            dst[d + i] += src[s + i];
                        }
                    }
                }
            }
        }
    }
}
