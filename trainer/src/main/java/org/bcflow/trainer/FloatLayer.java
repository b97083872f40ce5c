package org.bcflow.trainer;

import java.util.Arrays;

/**
 * One trained layer of the float model: real weights plus batch norm.
 *
 * <p>It computes {@code z = sign(W) x} with sign(0) = +1 (no bias: beta takes its place) and
 * {@code y = gamma * (z - runningMean) / sqrt(runningVar + eps) + beta}. Hidden layers then apply
 * {@code clip(y, 0, 1)}; the last layer's y are the scores.
 *
 * @param inputs      number of inputs
 * @param outputs     number of neurons
 * @param weights     the real-valued weights W in [-1, 1], outputs x inputs, row-major
 * @param gamma       batch norm scale per neuron
 * @param beta        batch norm offset per neuron
 * @param runningMean running average of the mini-batch means of z
 * @param runningVar  running average of the unbiased mini-batch variances of z
 * @param eps         batch norm epsilon
 */
public record FloatLayer(int inputs, int outputs, float[] weights, float[] gamma, float[] beta,
                         float[] runningMean, float[] runningVar, float eps) {

    public FloatLayer {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("layer must be at least 1x1, got " + inputs + " -> " + outputs);
        }
        if (weights.length != (long) inputs * outputs) {
            throw new IllegalArgumentException("expected " + outputs + "x" + inputs + " weights, got " + weights.length);
        }
        for (float[] v : new float[][] {gamma, beta, runningMean, runningVar}) {
            if (v.length != outputs) {
                throw new IllegalArgumentException("batch norm vectors must have " + outputs + " values, got " + v.length);
            }
        }
        weights = weights.clone();
        gamma = gamma.clone();
        beta = beta.clone();
        runningMean = runningMean.clone();
        runningVar = runningVar.clone();
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public float[] gamma() {
        return gamma.clone();
    }

    @Override
    public float[] beta() {
        return beta.clone();
    }

    @Override
    public float[] runningMean() {
        return runningMean.clone();
    }

    @Override
    public float[] runningVar() {
        return runningVar.clone();
    }

    /** The binary weight at (row, col): +1 or -1, sign(0) = +1. */
    public int sign(int row, int col) {
        return weights[row * inputs + col] >= 0f ? 1 : -1;
    }

    /** The folded batch norm scale a = gamma / sqrt(runningVar + eps), in double. */
    public double[] foldedScale() {
        double[] a = new double[outputs];
        for (int n = 0; n < outputs; n++) {
            a[n] = gamma[n] / Math.sqrt((double) runningVar[n] + eps);
        }
        return a;
    }

    /** The folded batch norm offset c = beta - a * runningMean, in double. */
    public double[] foldedOffset() {
        double[] a = foldedScale();
        double[] c = new double[outputs];
        for (int n = 0; n < outputs; n++) {
            c[n] = beta[n] - a[n] * runningMean[n];
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatLayer l && l.inputs == inputs && l.outputs == outputs
                && Arrays.equals(l.weights, weights) && Arrays.equals(l.gamma, gamma) && Arrays.equals(l.beta, beta)
                && Arrays.equals(l.runningMean, runningMean) && Arrays.equals(l.runningVar, runningVar)
                && Float.compare(l.eps, eps) == 0;
    }

    @Override
    public int hashCode() {
        return ((Arrays.hashCode(weights) * 31 + Arrays.hashCode(gamma)) * 31 + Arrays.hashCode(beta)) * 31
                + Arrays.hashCode(runningMean) + 17 * Arrays.hashCode(runningVar);
    }

    @Override
    public String toString() {
        return "FloatLayer[" + inputs + "->" + outputs + "]";
    }
}
