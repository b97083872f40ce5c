package org.bcflow.trainer;

/**
 * Max-pooling of a batch of HWC maps over p x p windows with stride p, per channel, in training:
 * the forward pass remembers where each maximum came from (the first of equal values, in window
 * order ky, kx), and the backward pass sends each gradient back there and nowhere else.
 *
 * <p>Both passes also work on a block of images held apart ({@link #forward(float[], int, int, int, float[])},
 * {@link #backward(float[], int, int, int)}), so that the layer before can pool each image right
 * after computing its activations into a small buffer, and take its gradient into one right
 * before using it: the image's values never leave the cache.
 */
final class MaxPool {
    final int batch, c, h, w, p, outH, outW;
    final float[] out;       // [batch * outH * outW * c]
    final float[] dOut;      // [batch * outH * outW * c]: the gradient with respect to the output, left by the next layer
    /** Where backward leaves the gradient with respect to the input (the previous layer's; null: none needed). */
    float[] dIn;
    final int[] from;         // per output value, the index of its maximum in the input
    private final float[] ones;
    private final SecondCore core;

    MaxPool(int batch, int c, int h, int w, int p, SecondCore core) {
        this.core = core;
        this.batch = batch;
        this.c = c;
        this.h = h;
        this.w = w;
        this.p = p;
        this.outH = h / p;
        this.outW = w / p;
        this.out = new float[batch * outH * outW * c];
        this.dOut = new float[out.length];
        this.from = new int[out.length];
        this.ones = new float[c];
        java.util.Arrays.fill(ones, 1f);
    }

    void forward(float[] in) {
        core.split(batch, (long) batch * h * w * c, (first, end, half) -> forward(in, 0, first, end, ones));
    }

    /**
     * Pools images [firstImage, endImage) of {@code sign[ch] * in}, whose input value at batch
     * index g (image after image, HWC) is {@code in[g - offset]}: offset 0 for the whole batch's
     * array, the block's first index for a buffer holding the block alone. A sign of -1 makes a
     * channel's maximum its minimum (out holds it negated).
     */
    void forward(float[] in, int offset, int firstImage, int endImage, float[] sign) {
        if (p == 2) {
            forward2(in, offset, firstImage, endImage, sign);
            return;
        }
        int o = firstImage * outH * outW * c;
        for (int b = firstImage; b < endImage; b++) {
            int base = b * h * w * c - offset;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    int first = base + (y * p * w + x * p) * c;
                    // the window's first value, then the others, compared a channel run at a time
                    for (int ch = 0; ch < c; ch++) {
                        out[o + ch] = in[first + ch] * sign[ch];
                        from[o + ch] = first + offset + ch;
                    }
                    for (int ky = 0; ky < p; ky++) {
                        for (int kx = ky == 0 ? 1 : 0; kx < p; kx++) {
                            int src = base + ((y * p + ky) * w + x * p + kx) * c;
                            for (int ch = 0; ch < c; ch++) {
                                // branch-free, as the JIT compiles a conditional here to a branch that mispredicts
                                // half the time: v wins exactly when cur - v < 0 (never -0: distinct floats differ),
                                // and the sign of that difference, spread over the int, selects the index
                                float v = in[src + ch] * sign[ch];
                                float cur = out[o + ch];
                                int wins = Float.floatToRawIntBits(cur - v) >> 31;
                                from[o + ch] = (from[o + ch] & ~wins) | ((src + offset + ch) & wins);
                                out[o + ch] = Math.max(cur, v);
                            }
                        }
                    }
                    o += c;
                }
            }
        }
    }

    /**
     * {@link #forward(float[], int, int, int, float[])} for 2 x 2 windows (the common case), the
     * four values of a channel compared in registers rather than through out and from.
     */
    private void forward2(float[] in, int offset, int firstImage, int endImage, float[] sign) {
        int o = firstImage * outH * outW * c;
        for (int b = firstImage; b < endImage; b++) {
            int base = b * h * w * c - offset;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    int i0 = base + (2 * y * w + 2 * x) * c;       // the window (0,0), (0,1), (1,0), (1,1)
                    int i1 = i0 + c;
                    int i2 = i0 + w * c;
                    int i3 = i2 + c;
                    for (int ch = 0; ch < c; ch++) {
                        float s = sign[ch];
                        float m = in[i0 + ch] * s;
                        int at = i0 + ch;
                        // branch-free as in forward: the later value wins only when strictly larger
                        float v = in[i1 + ch] * s;
                        int wins = Float.floatToRawIntBits(m - v) >> 31;
                        at = (at & ~wins) | ((i1 + ch) & wins);
                        m = Math.max(m, v);
                        v = in[i2 + ch] * s;
                        wins = Float.floatToRawIntBits(m - v) >> 31;
                        at = (at & ~wins) | ((i2 + ch) & wins);
                        m = Math.max(m, v);
                        v = in[i3 + ch] * s;
                        wins = Float.floatToRawIntBits(m - v) >> 31;
                        at = (at & ~wins) | ((i3 + ch) & wins);
                        out[o + ch] = Math.max(m, v);
                        from[o + ch] = at + offset;
                    }
                    o += c;
                }
            }
        }
    }

    void backward() {
        if (dIn == null) {
            return;
        }
        core.split(batch, (long) batch * h * w * c, (first, end, half) -> backward(dIn, 0, first, end));
    }

    /**
     * The input gradient of images [firstImage, endImage) into {@code dst}, laid out as
     * {@link #forward(float[], int, int, int, float[])}'s input: zero but where each maximum came from,
     * which gets its gradient.
     */
    void backward(float[] dst, int offset, int firstImage, int endImage) {
        int perIn = h * w * c;
        int perOut = outH * outW * c;
        for (int b = firstImage; b < endImage; b++) {        // an image at a time: its part of dst stays in the cache
            java.util.Arrays.fill(dst, b * perIn - offset, (b + 1) * perIn - offset, 0f);
            for (int i = b * perOut; i < (b + 1) * perOut; i++) {
                dst[from[i] - offset] = dOut[i];
            }
        }
    }
}
