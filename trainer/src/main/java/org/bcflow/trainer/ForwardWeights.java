package org.bcflow.trainer;

import java.nio.FloatBuffer;

/**
 * The weights of the forward and backward passes, Wb, per layer in the native arrays the matrix
 * products read: sign(W), the real W, or a stochastic sample. It remembers which it loaded, so that
 * asking again for what is already there costs nothing. Shared by {@link BinaryMlp} and
 * {@link ConvNet}.
 */
final class ForwardWeights {
    /** What the native arrays hold. */
    enum Kind { SIGN, REAL, STALE }

    private final float[][] w;
    private final float[][] heap;
    private final FloatBuffer[] wb;
    private Kind loaded = Kind.STALE;

    /**
     * @param w    per layer the real-valued W (read live)
     * @param heap per layer scratch of W's size
     * @param wb   per layer the native Wb array's buffer
     */
    ForwardWeights(float[][] w, float[][] heap, FloatBuffer[] wb) {
        this.w = w;
        this.heap = heap;
        this.wb = wb;
    }

    /** Wb = sign(W) with sign(0) = +1; {@code copySign(1, w + 0)} is that, branch-free (-0 + 0 = +0). */
    void signs() {
        if (loaded == Kind.SIGN) {
            return;
        }
        for (int k = 0; k < w.length; k++) {
            signs(k, 0, w[k].length);
        }
        loaded = Kind.SIGN;
    }

    /**
     * Wb = sign(W) for weights [from, to) of layer k (an updater that has just written them loads
     * their signs while they are in the cache, then says {@link #wrote} SIGN).
     */
    void signs(int k, int from, int to) {
        float[] wk = w[k];
        float[] h = heap[k];
        for (int i = from; i < to; i++) {
            h[i] = Math.copySign(1f, wk[i] + 0f);
        }
        wb[k].put(from, h, from, to - from);
    }

    /** Wb = W. */
    void real() {
        if (loaded == Kind.REAL) {
            return;
        }
        for (int k = 0; k < w.length; k++) {
            wb[k].put(0, w[k]);
        }
        loaded = Kind.REAL;
    }

    /** Wb = +1 with probability hard_sigmoid(W) = clip((W + 1) / 2, 0, 1), from stream (purpose, index, layer). */
    void sample(RandomStreams streams, long purpose, long index) {
        for (int k = 0; k < w.length; k++) {
            RandomStreams.sampleSigns(w[k], heap[k], streams.seed(purpose, index, k));
            wb[k].put(0, heap[k]);
        }
        loaded = Kind.STALE;
    }

    /** The weights of a training step: sampled from this step's stream, sign(W), or W. */
    void forStep(TrainConfig.Binarization binarization, RandomStreams streams, long step) {
        switch (binarization) {
            case STOCHASTIC -> sample(streams, RandomStreams.TRAIN_SAMPLE, step);
            case DETERMINISTIC -> signs();
            case NONE -> real();
        }
    }

    /** The weights of a test mode; {@code sample} numbers the nets of an ensemble. */
    void forTest(TrainConfig.TestMode mode, RandomStreams streams, int sample) {
        switch (mode) {
            case BINARY -> signs();
            case REAL -> real();
            case ENSEMBLE -> sample(streams, RandomStreams.ENSEMBLE_SAMPLE, sample);
        }
    }

    /** The weights of a net of this method outside training: sign(W) for binary nets, W otherwise. */
    void defaults(boolean binary) {
        loaded = Kind.STALE;
        if (binary) {
            signs();
        } else {
            real();
        }
    }

    /** Says what the caller itself wrote into the native arrays (STALE after changing W). */
    void wrote(Kind kind) {
        loaded = kind;
    }
}
