package org.bcflow.cli;

import java.util.Map;

/**
 * {@code train.json}: what a training run found (schema: docs/schemas/train.schema.json).
 *
 * @param bestValidationError     null without validation
 * @param testErrorAtBestEpoch    null without a test set
 * @param hardwareExactTestError  per activation width (bits, as text), the integer network's test error
 */
record TrainReport(String dataset, String network, String config, String binarization, int trainActivationBits,
        String testMode, int epochs, int bestEpoch, Double bestValidationError, Double testErrorAtBestEpoch,
        double floatModelTestError, String floatModel, Map<String, Double> hardwareExactTestError, double trainSeconds,
        double lastEpochImagesPerSecond) {

    /** A NaN (nothing measured) as JSON null. */
    static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
