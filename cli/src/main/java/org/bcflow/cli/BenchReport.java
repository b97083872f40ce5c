package org.bcflow.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code bench.json}: bcflow's training speed beside the machine's sgemm rate on the same products
 * and a DL4J peer (schema: docs/schemas/bench.schema.json); with {@code --profile}, a conv step's
 * milliseconds per part ({@code stepSplitMs}, else null).
 */
record BenchReport(String network, int batch, int steps, String ompNumThreads, int cores, double imagesPerSecond,
        double stepGflop, double usefulGflops, double sgemmGflops, String sgemmGflopsNote,
        @com.fasterxml.jackson.annotation.JsonProperty("sgemm_1024_gflops") double sgemm1024Gflops,
        double rooflineRatio, java.util.Map<String, Double> stepSplitMs, Peer peer) {

    static final String SGEMM_NOTE = "Nd4j.gemm on the step's own products (shapes, transposes), back to back, best of 5 rounds";

    /**
     * The peer's run: {@code imagesPerSecond} null and a {@code note} when it did not run, else its
     * figures and the peer's own report as {@code details}.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_ABSENT)
    record Peer(String name, @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) Double imagesPerSecond, String note,
            JsonNode details) {
        static Peer notRun(String name, String note) {
            return new Peer(name, null, note, null);
        }

        static Peer ran(String name, JsonNode details) {
            return new Peer(name, details.path("images_per_second").asDouble(), null, details);
        }
    }
}
