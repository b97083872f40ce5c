package org.bcflow.trainer;

/**
 * Max-pooling of a batch of HWC maps over p x p windows with stride p, per channel, in training.
 * The backward pass sends each gradient to the first position of its window (in window order
 * ky, kx) that holds the maximum, and zero to the others; k-bit activations tie often, and the
 * first position is the one rule that does not depend on the loop order. Both passes are loops
 * over channels without branches, which the JIT vectorizes; the forward pass keeps no indices
 * (the backward pass finds the winner again from the input, which is still there).
 */
final class MaxPool {
    final int batch, c, h, w, p, outH, outW;
    final float[] out;       // [batch * outH * outW * c]
    final float[] dOut;      // [batch * outH * outW * c]: the gradient with respect to the output, left by the next layer
    /** Where backward leaves the gradient with respect to the input (the previous layer's; null: none needed). */
    float[] dIn;
    private float[] in;      // the input of the last forward pass
    private final int[][] winner; // per half, per channel: the window position of the maximum
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
        this.winner = new int[2][c];
    }

    void forward(float[] input) {
        this.in = input;
        core.split(batch, (long) batch * h * w * c, (first, end, half) -> {
            for (int b = first; b < end; b++) {
                for (int y = 0; y < outH; y++) {
                    for (int x = 0; x < outW; x++) {
                        int o = ((b * outH + y) * outW + x) * c;
                        int corner = ((b * h + y * p) * w + x * p) * c;
                        System.arraycopy(input, corner, out, o, c);
                        for (int kk = 1; kk < p * p; kk++) {
                            int src = corner + ((kk / p) * w + kk % p) * c;
                            for (int ch = 0; ch < c; ch++) {
                                out[o + ch] = Math.max(out[o + ch], input[src + ch]);
                            }
                        }
                    }
                }
            }
        });
    }

    /** dL/d(input) from dL/d(output): in place is fine, the windows do not overlap and each is read before it is written. */
    void backward() {
        if (dIn == null) {
            return;
        }
        core.split(batch, (long) batch * h * w * c, (first, end, half) -> {
            int[] win = winner[half];
            for (int b = first; b < end; b++) {
                for (int y = 0; y < outH; y++) {
                    for (int x = 0; x < outW; x++) {
                        int o = ((b * outH + y) * outW + x) * c;
                        int corner = ((b * h + y * p) * w + x * p) * c;
                        for (int kk = p * p - 1; kk >= 0; kk--) {   // backwards, so that the first maximum wins
                            int src = corner + ((kk / p) * w + kk % p) * c;
                            for (int ch = 0; ch < c; ch++) {
                                win[ch] = in[src + ch] == out[o + ch] ? kk : win[ch];
                            }
                        }
                        for (int kk = 0; kk < p * p; kk++) {
                            int dst = corner + ((kk / p) * w + kk % p) * c;
                            for (int ch = 0; ch < c; ch++) {
                                dIn[dst + ch] = win[ch] == kk ? dOut[o + ch] : 0f;
                            }
                        }
                    }
                }
            }
        });
    }
}
