package org.bcflow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaxPoolTest {

    /**
     * Ties (the rule with k-bit activations, whose values repeat): the maximum's gradient goes to
     * the first of the equal values in window order (ky, then kx) and nowhere else, for the whole
     * batch at once and for one image at a time held in a buffer of its own alike.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gradientGoesToTheFirstOfEqualMaxima(boolean imageByImage) {
        int batch = 2, c = 2, h = 4, w = 4;
        // channel 0 of image 0: window (0,0) holds 0.2 0.5 / 0.5 0.1 -> the max 0.5 first at (0,1)
        //                       window (0,1) all 0 -> (0,2); window (1,0): 0.3 at (3,0) only; window (1,1): 1 at (2,3), (3,2), (3,3)
        // the other map: 0.4 four times -> (0,0), and (0,2); 0.95 at (3,1); 0.7 at (2,2) before (3,3)
        float[][] maps = {
            {0.2f, 0.5f, 0f, 0f,
             0.5f, 0.1f, 0f, 0f,
             0f, 0f, 0.1f, 1f,
             0.3f, 0f, 1f, 1f},
            {0.4f, 0.4f, 0.4f, 0.4f,
             0.4f, 0.4f, 0.4f, 0.4f,
             0.9f, 0.8f, 0.7f, 0.6f,
             0.1f, 0.95f, 0.6f, 0.7f},
        };
        float[] in = new float[batch * h * w * c];
        for (int b = 0; b < batch; b++) {
            for (int ch = 0; ch < c; ch++) {
                float[] m = maps[(b + ch) % 2];
                for (int i = 0; i < h * w; i++) {
                    in[(b * h * w + i) * c + ch] = m[i];
                }
            }
        }
        SecondCore core = new SecondCore();
        MaxPool pool = new MaxPool(batch, c, h, w, 2, core);
        float[] dIn = new float[in.length];
        pool.dIn = dIn;
        int perIn = h * w * c;
        if (imageByImage) {
            for (int b = 0; b < batch; b++) {
                float[] image = java.util.Arrays.copyOfRange(in, b * perIn, (b + 1) * perIn);
                pool.forward(image, b * perIn, b, b + 1, new float[] {1f, 1f});
            }
        } else {
            pool.forward(in);
        }
        for (int i = 0; i < pool.dOut.length; i++) {
            pool.dOut[i] = i + 1;
        }
        java.util.Arrays.fill(dIn, -7f);      // everything not a winner must be overwritten with 0
        if (imageByImage) {
            for (int b = 0; b < batch; b++) {
                float[] image = new float[perIn];
                java.util.Arrays.fill(image, -7f);
                pool.backward(image, b * perIn, b, b + 1);
                System.arraycopy(image, 0, dIn, b * perIn, perIn);
            }
        } else {
            pool.backward();
        }
        core.shutdown();
        // expected winners per map (row-major positions) in output order (0,0), (0,1), (1,0), (1,1)
        int[][] winners = {{1, 2, 12, 11}, {0, 2, 13, 10}};
        float[] expectedOut = new float[pool.out.length];
        float[] expectedDIn = new float[in.length];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < 4; o++) {
                for (int ch = 0; ch < c; ch++) {
                    int map = (b + ch) % 2;
                    int outIndex = (b * 4 + o) * c + ch;
                    int at = winners[map][o];
                    expectedOut[outIndex] = maps[map][at];
                    expectedDIn[(b * h * w + at) * c + ch] = outIndex + 1;
                }
            }
        }
        assertArrayEquals(expectedOut, pool.out, "pooled values");
        assertArrayEquals(expectedDIn, dIn, "input gradient");
    }

    /** A channel of sign -1 pools its minimum (negated), the first of equal minima winning. */
    @org.junit.jupiter.api.Test
    void negativeSignPoolsTheMinimum() {
        SecondCore core = new SecondCore();
        MaxPool pool = new MaxPool(1, 2, 2, 2, 2, core);
        // HWC: channel 0 = 0.3 0.1 / 0.1 0.5, channel 1 = 0.2 0.4 / 0.4 0.2
        float[] in = {0.3f, 0.2f, 0.1f, 0.4f, 0.1f, 0.4f, 0.5f, 0.2f};
        float[] dIn = new float[in.length];
        pool.dIn = dIn;
        pool.forward(in, 0, 0, 1, new float[] {-1f, 1f});
        pool.dOut[0] = 5f;
        pool.dOut[1] = 7f;
        pool.backward();
        core.shutdown();
        assertArrayEquals(new float[] {-0.1f, 0.4f}, pool.out, "the minimum of channel 0 negated, the maximum of channel 1");
        assertArrayEquals(new float[] {0f, 0f, 5f, 7f, 0f, 0f, 0f, 0f}, dIn, "gradients at the first minimum and the first maximum");
    }

    /**
     * Against plain loops, on random 2-bit values (ties everywhere), window sizes 2 (its own code)
     * and 3, signs of both kinds: the pooled value and where the gradient goes.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void matchesPlainLoops(int p) {
        int batch = 3, c = 5, h = 2 * p, w = 3 * p;
        java.util.Random rnd = new java.util.Random(p);
        float[] in = new float[batch * h * w * c];
        for (int i = 0; i < in.length; i++) {
            in[i] = rnd.nextInt(4) / 3f;
        }
        float[] sign = {1f, -1f, 1f, 1f, -1f};
        SecondCore core = new SecondCore();
        MaxPool pool = new MaxPool(batch, c, h, w, p, core);
        float[] dIn = new float[in.length];
        pool.dIn = dIn;
        pool.forward(in, 0, 0, batch, sign);
        for (int i = 0; i < pool.dOut.length; i++) {
            pool.dOut[i] = i + 1;
        }
        pool.backward();
        core.shutdown();
        float[] expectedOut = new float[pool.out.length];
        float[] expectedDIn = new float[in.length];
        int o = 0;
        for (int b = 0; b < batch; b++) {
            for (int y = 0; y < h / p; y++) {
                for (int x = 0; x < w / p; x++) {
                    for (int ch = 0; ch < c; ch++, o++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int ky = 0; ky < p; ky++) {
                            for (int kx = 0; kx < p; kx++) {
                                int i = ((b * h + y * p + ky) * w + x * p + kx) * c + ch;
                                if (in[i] * sign[ch] > best) {
                                    best = in[i] * sign[ch];
                                    at = i;
                                }
                            }
                        }
                        expectedOut[o] = best;
                        expectedDIn[at] = o + 1;
                    }
                }
            }
        }
        assertArrayEquals(expectedOut, pool.out, "pooled values");
        assertArrayEquals(expectedDIn, dIn, "input gradient");
    }
}
