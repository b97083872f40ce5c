package org.bcflow.core;

/**
 * A binary-weight convolution: stride 1, a k x k kernel, {@link Padding#SAME} or
 * {@link Padding#VALID}. It is its weight matrix applied at every output position: the matrix
 * has {@code out_channels} rows and {@code k * k * in_channels} columns, column
 * {@code j = (ky * k + kx) * in_channels + c} weighing input value {@code (y + ky - pad, x + kx - pad, c)}
 * (0 outside the map). Accumulation and requantization per output channel are exactly those of
 * a {@link DenseLayer} (its {@code mul}, {@code add}, {@code shift} and input width), so the
 * weight ROM layout of a dense layer applies unchanged to the matrix.
 *
 * @param matrix     the weights and requantization; its name is the layer's name
 * @param k          kernel size, 1 or more
 * @param padding    border handling
 */
public record ConvLayer(DenseLayer matrix, int k, Padding padding) implements Layer {

    public ConvLayer {
        if (k < 1) {
            throw new IllegalArgumentException(matrix.name() + ": kernel size must be at least 1, got " + k);
        }
        if (padding == Padding.SAME && k % 2 == 0) {
            throw new IllegalArgumentException(matrix.name() + ": same padding needs an odd kernel, got " + k);
        }
        if (matrix.inputs() % (k * k) != 0) {
            throw new IllegalArgumentException(matrix.name() + ": " + matrix.inputs() + " weight columns are not k*k*channels for k = " + k);
        }
    }

    @Override
    public String name() {
        return matrix.name();
    }

    @Override
    public String kind() {
        return "conv";
    }

    public int inChannels() {
        return matrix.inputs() / (k * k);
    }

    public int outChannels() {
        return matrix.outputs();
    }

    /** Zeros added on each side: (k - 1) / 2 for same padding, 0 for valid. */
    public int pad() {
        return padding == Padding.SAME ? (k - 1) / 2 : 0;
    }

    @Override
    public FeatureMap output(FeatureMap in) {
        if (in.channels() != inChannels()) {
            throw new IllegalArgumentException(name() + " takes " + inChannels() + " channels but its input has " + in.channels());
        }
        // For same padding too: the contract refuses any kernel larger than its input, as
        // Architecture.shapes does, so that the notation and the network agree on what is legal.
        if (k > in.height() || k > in.width()) {
            throw new IllegalArgumentException(name() + ": a " + k + "x" + k + " kernel is larger than its "
                    + in.height() + "x" + in.width() + " input");
        }
        return new FeatureMap(outChannels(), in.height() + 2 * pad() - k + 1, in.width() + 2 * pad() - k + 1);
    }
}
