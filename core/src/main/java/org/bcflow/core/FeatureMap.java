package org.bcflow.core;

/**
 * The shape of the values between two layers: {@code height x width} positions of
 * {@code channels} values each. A vector of n values (a dense layer's input or output) is the
 * 1 x 1 map of n channels.
 *
 * <p>Order, the one definition: position-major, channel-minor (HWC). Value {@code (y, x, c)} is
 * element {@code (y * width + x) * channels + c}, in memory, on the hardware's stream and when a
 * dense layer takes the map as its input vector.
 */
public record FeatureMap(int channels, int height, int width) {

    public FeatureMap {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("a feature map needs at least one channel and one position, got "
                    + channels + "x" + height + "x" + width);
        }
    }

    /** The 1 x 1 map of n channels: a plain vector. */
    public static FeatureMap vector(int n) {
        return new FeatureMap(n, 1, 1);
    }

    public boolean isVector() {
        return height == 1 && width == 1;
    }

    public int positions() {
        return height * width;
    }

    /** The number of values, channels * height * width. */
    public int size() {
        return Math.multiplyExact(Math.multiplyExact(channels, height), width);
    }

    /** The HWC index of value (y, x, c). */
    public int index(int y, int x, int c) {
        return (y * width + x) * channels + c;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
