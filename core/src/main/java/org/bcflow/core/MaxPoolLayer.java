package org.bcflow.core;

/**
 * Max-pooling over p x p windows with stride p, per channel, of the unsigned activations the
 * layer before it gives (after their requantization: see docs/contract.md for why that order is
 * exact). The value passes through unchanged, so its width is the next layer's input width.
 *
 * @param name short name, e.g. {@code pool0}
 * @param p    window size and stride, 1 or more; it must divide the map's height and width
 */
public record MaxPoolLayer(String name, int p) implements Layer {

    public MaxPoolLayer {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("layer name must be a lower-case identifier, got " + name);
        }
        if (p < 1) {
            throw new IllegalArgumentException(name + ": pool size must be at least 1, got " + p);
        }
    }

    @Override
    public String kind() {
        return "maxpool";
    }

    @Override
    public FeatureMap output(FeatureMap in) {
        if (in.height() % p != 0 || in.width() % p != 0) {
            throw new IllegalArgumentException(name + ": a " + p + "x" + p + " pool does not divide its "
                    + in.height() + "x" + in.width() + " input");
        }
        return new FeatureMap(in.channels(), in.height() / p, in.width() / p);
    }
}
