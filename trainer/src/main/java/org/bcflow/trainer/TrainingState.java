package org.bcflow.trainer;

import java.util.List;

/**
 * A net's training state as {@link Checkpoint} stores it: per weight layer the
 * {@value BinaryMlp#STATE_ARRAYS} arrays W, gamma, beta, running mean, running var and the
 * optimizer moments, layer after layer. Shared by {@link BinaryMlp} and {@link ConvNet}, whose
 * layers each give their live arrays in that order.
 */
final class TrainingState {
    private TrainingState() {
    }

    /** Copies of every layer's arrays. */
    static float[][] copyOf(List<float[][]> layers) {
        float[][] s = new float[layers.size() * BinaryMlp.STATE_ARRAYS][];
        for (int k = 0; k < layers.size(); k++) {
            for (int j = 0; j < BinaryMlp.STATE_ARRAYS; j++) {
                s[k * BinaryMlp.STATE_ARRAYS + j] = layers.get(k)[j].clone();
            }
        }
        return s;
    }

    /** Writes {@code s} into the layers' arrays; refuses a state of another shape. */
    static void restore(float[][] s, List<float[][]> layers) {
        if (s.length != layers.size() * BinaryMlp.STATE_ARRAYS) {
            throw new IllegalArgumentException("state has " + s.length + " arrays, expected " + layers.size() * BinaryMlp.STATE_ARRAYS);
        }
        for (int k = 0; k < layers.size(); k++) {
            for (int j = 0; j < BinaryMlp.STATE_ARRAYS; j++) {
                copy(s[k * BinaryMlp.STATE_ARRAYS + j], layers.get(k)[j]);
            }
        }
    }

    /** Sets W, gamma, beta and the running statistics (the first five arrays) from a float model; moments untouched. */
    static void setModel(FloatModel m, List<float[][]> layers) {
        for (int k = 0; k < layers.size(); k++) {
            FloatLayer f = m.layers().get(k);
            float[][] a = layers.get(k);
            copy(f.weights(), a[0]);
            copy(f.gamma(), a[1]);
            copy(f.beta(), a[2]);
            copy(f.runningMean(), a[3]);
            copy(f.runningVar(), a[4]);
        }
    }

    private static void copy(float[] from, float[] to) {
        if (from.length != to.length) {
            throw new IllegalArgumentException("expected " + to.length + " values, got " + from.length);
        }
        System.arraycopy(from, 0, to, 0, to.length);
    }
}
