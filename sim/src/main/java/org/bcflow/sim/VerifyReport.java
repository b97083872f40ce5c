package org.bcflow.sim;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of running the hardware on test vectors and comparing it with the reference; written
 * as verify.json (schema docs/schemas/verify.schema.json) by the shared mapper, the nested records
 * marked unwrapped giving their keys at the top level.
 *
 * @param simulator         simulator and version
 * @param vectors           images simulated
 * @param jobs              simulator processes the images were split over
 * @param mismatches        images where any layer's output, the class or a score differs
 * @param accuracy          reference and hardware accuracy
 * @param cycles            the cycle model's prediction beside what was measured
 * @param build             the simulator build
 * @param simulationSeconds wall time of the simulation runs
 * @param firstDivergence   where hardware and reference first part ways, or null
 * @param romCheck          every ROM file against a fresh packing of the network
 * @param cycleCheck        every disagreement of the measured cycles with the cycle model
 * @param waveform          FST file around the first divergence, or null
 * @param backpressure      the same vectors with random input gaps and output stalls, or null (then not written)
 * @param firstMismatches   up to 10 mismatching images, first first
 */
@JsonPropertyOrder({"passed", "failures", "simulator", "vectors", "jobs", "mismatches", "accuracy", "cycles", "build",
        "simulation_seconds", "simulated_cycles_per_second", "images_per_second", "first_divergence", "rom_check",
        "cycle_check", "waveform", "backpressure", "first_mismatches"})
public record VerifyReport(String simulator, int vectors, int jobs, int mismatches,
        @JsonUnwrapped(suffix = "_accuracy") Accuracy accuracy, @JsonUnwrapped Cycles cycles,
        @JsonUnwrapped(prefix = "build_") Build build, double simulationSeconds, Divergence firstDivergence,
        RomCheck romCheck, CycleModelCheck cycleCheck, String waveform,
        @JsonInclude(JsonInclude.Include.NON_NULL) Backpressure backpressure, List<Mismatch> firstMismatches) {

    /**
     * Fractions of the images classified correctly (keys reference_accuracy, hardware_accuracy).
     *
     * @param reference by the reference interpreter
     * @param hardware  by the simulated hardware
     */
    public record Accuracy(double reference, double hardware) {
    }

    /**
     * The cycle model's figures and the measured ones.
     *
     * @param cyclesPerImagePredicted predicted steady-state interval (the cycle model's, for the network and folding)
     * @param cyclesPerImageMeasured  median interval between successive outputs of a process (0 with one image per
     *                                process); every one of them must equal the predicted one
     * @param intervalMin             smallest such interval
     * @param intervalMax             largest such interval
     * @param latencyPredicted        predicted cycles from the first image's first beat to its output
     * @param latencyMeasured         measured latency of the first image
     * @param totalCycles             cycles simulated, all processes together
     */
    public record Cycles(long cyclesPerImagePredicted, long cyclesPerImageMeasured, long intervalMin, long intervalMax,
            long latencyPredicted, long latencyMeasured, long totalCycles) {
    }

    /**
     * The simulator build (keys build_seconds, build_cached, build_dir, build_note).
     *
     * @param seconds Verilator build time (0 when the build came from the cache)
     * @param cached  whether the build came from the cache
     * @param dir     the build folder (kept; it is the cache entry)
     * @param note    why a cached Verilator build was discarded and rebuilt, or null
     */
    public record Build(double seconds, boolean cached, String dir, String note) {
    }

    /** Every disagreement of the measured cycles with the cycle model, one line each with the figures (empty: none). */
    public record CycleModelCheck(List<String> problems) {
        @JsonProperty("passed")
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    @JsonProperty("simulated_cycles_per_second")
    public double simulatedCyclesPerSecond() {
        return simulationSeconds > 0 ? cycles.totalCycles() / simulationSeconds : 0;
    }

    @JsonProperty("images_per_second")
    public double imagesPerSecond() {
        return simulationSeconds > 0 ? vectors / simulationSeconds : 0;
    }

    /** The first place where the hardware differs: image, layer, neuron, values and cycle. */
    /**
     * Where hardware and reference first part ways. For a stream of pixels (a conv or pool layer)
     * {@code neuron} is the HWC index and y, x and channel name it; they are null for a dense
     * layer's vector.
     */
    public record Divergence(int image, String layer, int neuron, long expected, long actual, long cycle, Integer y,
            Integer x, Integer channel) {
        public Divergence(int image, String layer, int neuron, long expected, long actual, long cycle) {
            this(image, layer, neuron, expected, actual, cycle, null, null, null);
        }

        public String describe() {
            if (y != null) {
                return "image " + image + ", " + layer + " y " + y + " x " + x + " channel " + channel + ": hardware " + actual
                        + ", reference " + expected + " (cycle " + cycle + ")";
            }
            if (neuron < 0 && !layer.equals("output")) {
                return "image " + image + ", " + layer + ": the digest of its pixels differs from the reference's (cycle " + cycle
                        + ")";
            }
            return "image " + image + ", " + layer + " neuron " + neuron + ": hardware " + actual + ", reference " + expected
                    + " (cycle " + cycle + ")";
        }
    }

    /** The run under backpressure: its own mismatches and cycles. */
    public record Backpressure(int gapPerMille, int stallPerMille, long seed, int mismatches, boolean sameOutputs,
            double meanInterval, long latencyMeasured, long totalCycles, double simulationSeconds) {
    }

    /** One image on which hardware and reference disagree at the output. */
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

    /**
     * Every ROM image of the design folder against a fresh packing of the network, word for word.
     *
     * @param filesChecked    files compared (bc_rom.v counts once with embedded ROMs)
     * @param wordsChecked    words compared, all files together
     * @param filesAbsent     twins that are not there (.coe, .mif; .mem too with embedded ROMs): the design does not load them
     * @param wordsDiffering  words that differ, all files together
     * @param filesDiffering  files with a differing word
     * @param firstDifference the first differing word, or null
     */
    public record RomCheck(int filesChecked, long wordsChecked, List<String> filesAbsent, int wordsDiffering,
            List<String> filesDiffering, RomDifference firstDifference) {
        @JsonProperty("passed")
        public boolean passed() {
            return wordsDiffering == 0;
        }
    }

    /** A ROM word that differs from the network's: file, word index, both words in hex and what the lowest differing bit holds. */
    public record RomDifference(String file, int word, String expected, String actual, String bits) {
        public String describe() {
            return file + " word " + word + ": expected " + expected + ", actual " + actual + " (" + bits + ")";
        }
    }

    /** Every way in which the hardware disagrees with the reference, one line each with the figures; empty when it passed. */
    @JsonProperty("failures")
    public List<String> failures() {
        List<String> out = new ArrayList<>();
        if (mismatches > 0) {
            out.add(mismatches + " of " + vectors + " images differ, first: " + firstDivergence.describe());
        }
        if (!romCheck.passed()) {
            out.add(romCheck.wordsDiffering() + " ROM words differ from the network, first: "
                    + romCheck.firstDifference().describe());
        }
        out.addAll(cycleCheck.problems());
        if (backpressure != null && backpressure.mismatches() > 0) {
            out.add("under backpressure " + backpressure.mismatches() + " images differ from the reference");
        }
        if (backpressure != null && !backpressure.sameOutputs()) {
            out.add("under backpressure the outputs differ from those of the run without");
        }
        return out;
    }

    @JsonProperty("passed")
    public boolean passed() {
        return failures().isEmpty();
    }
}
