package org.bcflow.trainer;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where a training step of {@link ConvNet} spends its time, for {@code bench-train --profile}:
 * off unless the system property {@code bcflow.profile} is true when the class loads (then the
 * JIT drops every call), so the step pays nothing for it otherwise.
 */
public final class StepProfile {
    static final boolean ON = Boolean.getBoolean("bcflow.profile");

    /**
     * The parts of a step: batch norm's forward statistics (with the copy of z from the native
     * product), the activation (with the max-pool that follows it, run image by image with it),
     * batch norm's backward pass (with that max-pool's), and a max-pool run on its own.
     */
    public enum Part { IM2COL, COPY_TO_NATIVE, GEMM, BN_STATISTICS, ACTIVATION, BN_BACKWARD, POOL, LOSS, UPDATE }

    private static final long[] NANOS = new long[Part.values().length];

    private StepProfile() {
    }

    static long start() {
        return ON ? System.nanoTime() : 0;
    }

    static void add(Part part, long start) {
        if (ON) {
            NANOS[part.ordinal()] += System.nanoTime() - start;
        }
    }

    public static void reset() {
        java.util.Arrays.fill(NANOS, 0);
    }

    /** Seconds spent in each part since the last reset. */
    public static Map<Part, Double> seconds() {
        Map<Part, Double> m = new EnumMap<>(Part.class);
        for (Part p : Part.values()) {
            m.put(p, NANOS[p.ordinal()] / 1e9);
        }
        return m;
    }
}
