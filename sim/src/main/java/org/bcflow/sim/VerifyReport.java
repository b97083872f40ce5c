package org.bcflow.sim;

import java.util.List;

/**
 * The outcome of running the hardware on test vectors and comparing it with the reference.
 *
 * @param simulator               simulator and version
 * @param vectors                 images simulated
 * @param mismatches              images whose class or any score differs from the reference
 * @param referenceAccuracy       fraction of images the reference classifies correctly
 * @param hardwareAccuracy        fraction of images the hardware classifies correctly
 * @param cyclesPerImagePredicted predicted steady-state interval
 * @param cyclesPerImageMeasured  median interval between successive outputs (0 with one image)
 * @param intervalMin             smallest interval after the pipeline filled
 * @param intervalMax             largest interval after the pipeline filled
 * @param latencyPredicted        predicted cycles from the first image's first beat to its output
 * @param latencyMeasured         measured latency of the first image
 * @param totalCycles             cycles simulated
 * @param buildSeconds            Verilator build time (0 when the build came from the cache)
 * @param buildCached             whether the build came from the cache
 * @param simulationSeconds       wall time of the simulation run
 * @param firstMismatches         up to 10 mismatching images, first first
 */
public record VerifyReport(String simulator, int vectors, int mismatches, double referenceAccuracy,
        double hardwareAccuracy, long cyclesPerImagePredicted, long cyclesPerImageMeasured, long intervalMin,
        long intervalMax, long latencyPredicted, long latencyMeasured, long totalCycles, double buildSeconds,
        boolean buildCached, double simulationSeconds, List<Mismatch> firstMismatches) {

    /** One image on which hardware and reference disagree. */
    public record Mismatch(int image, int expectedClass, int actualClass, long[] expectedScores, long[] actualScores) {
        /** The first score index that differs, or -1 when only the class differs. */
        public int firstDifferentScore() {
            for (int i = 0; i < expectedScores.length; i++) {
                if (expectedScores[i] != actualScores[i]) {
                    return i;
                }
            }
            return -1;
        }

        public String describe() {
            int s = firstDifferentScore();
            return "image " + image + ": class " + actualClass + " (expected " + expectedClass + ")"
                    + (s < 0 ? "" : ", score " + s + " = " + actualScores[s] + " (expected " + expectedScores[s] + ")");
        }
    }

    public boolean passed() {
        return mismatches == 0 && cyclesPerImageMeasured == cyclesPerImagePredicted || mismatches == 0 && vectors < 2;
    }
}
