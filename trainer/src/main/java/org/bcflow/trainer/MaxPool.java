package org.bcflow.trainer;

/**
 * Max-pooling of a batch of HWC maps over p x p windows with stride p, per channel, in training:
 * the forward pass remembers where each maximum came from (the first of equal values, in window
 * order ky, kx), and the backward pass sends each gradient back there and nowhere else.
 */
final class MaxPool {
    final int batch, c, h, w, p, outH, outW;
    final float[] out;       // [batch * outH * outW * c]
    final float[] dOut;      // [batch * outH * outW * c]: the gradient with respect to the output, left by the next layer
    /** Where backward leaves the gradient with respect to the input (the previous layer's; null: none needed). */
    float[] dIn;
    private final int[] from; // per output value, the index of its maximum in the input
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
    }

    void forward(float[] in) {
        core.split(batch, (long) batch * h * w * c, (first, end, half) -> forward(in, first, end));
    }

    private void forward(float[] in, int firstImage, int endImage) {
        int o = firstImage * outH * outW * c;
        for (int b = firstImage; b < endImage; b++) {
            int base = b * h * w * c;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    int first = base + (y * p * w + x * p) * c;
                    // the window's first row, then the others, compared a channel run at a time
                    System.arraycopy(in, first, out, o, c);
                    for (int ch = 0; ch < c; ch++) {
                        from[o + ch] = first + ch;
                    }
                    for (int ky = 0; ky < p; ky++) {
                        for (int kx = ky == 0 ? 1 : 0; kx < p; kx++) {
                            int src = base + ((y * p + ky) * w + x * p + kx) * c;
                            for (int ch = 0; ch < c; ch++) {
                                // branch-free: which value wins is data, and a mispredicted branch costs more than both moves
                                float v = in[src + ch];
                                float cur = out[o + ch];
                                boolean wins = v > cur;
                                out[o + ch] = wins ? v : cur;
                                from[o + ch] = wins ? src + ch : from[o + ch];
                            }
                        }
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
        int perIn = h * w * c;
        int perOut = outH * outW * c;
        core.split(batch, (long) batch * perIn, (first, end, half) -> {
            java.util.Arrays.fill(dIn, first * perIn, end * perIn, 0f);
            for (int i = first * perOut; i < end * perOut; i++) {
                dIn[from[i]] = dOut[i];
            }
        });
    }
}
