package org.bcflow.core;

import java.util.Locale;

/** How a convolution meets the border of its input. */
public enum Padding {
    /** Zeros around the map, {@code (k - 1) / 2} on each side: the output keeps the input's size (k odd). */
    SAME,
    /** No padding: the output has {@code (H - k + 1) x (W - k + 1)} positions. */
    VALID;

    /** The name in files and reports: {@code same}, {@code valid}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Padding ofKey(String key) {
        for (Padding p : values()) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("padding must be same or valid, got " + key);
    }
}
