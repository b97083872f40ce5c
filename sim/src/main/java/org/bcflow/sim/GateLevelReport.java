package org.bcflow.sim;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of simulating a synthesized netlist of a design (its ports only: no layer taps)
 * against the reference: every image's class and scores, and the cycles of the output stream.
 * Written by the shared mapper (snake_case keys).
 *
 * @param simulator          simulator and version
 * @param netlist            the files simulated: the netlist, then the cells' models
 * @param images             images simulated
 * @param jobs               simulator processes they were split over
 * @param scoresCompared     the design has the scores port, and every score was compared (else the class alone)
 * @param mismatches         images whose class or scores differ, or that produced no output
 * @param firstMismatches    up to 10 mismatching images that produced an output, first first
 * @param intervalPredicted  the cycle model's cycles per image
 * @param intervalMeasured   median cycles between successive outputs of a process (0 with one image per process)
 * @param latencyPredicted   the cycle model's latency
 * @param latencyMeasured    measured latency of the first image
 * @param cycleProblems      every disagreement with the cycle model, one line each
 * @param simulationSeconds  wall time of compilation and simulation
 */
@JsonPropertyOrder({"passed", "failures", "simulator", "netlist", "images", "jobs", "scores_compared", "mismatches", "interval_predicted",
        "interval_measured", "latency_predicted", "latency_measured", "cycle_problems", "simulation_seconds", "first_mismatches"})
public record GateLevelReport(String simulator, List<String> netlist, int images, int jobs, boolean scoresCompared, int mismatches,
        List<VerifyReport.Mismatch> firstMismatches, long intervalPredicted, long intervalMeasured, long latencyPredicted,
        long latencyMeasured, List<String> cycleProblems, double simulationSeconds) {

    /** Every way the netlist disagrees with the reference, one line each; empty when it passed. */
    @JsonProperty("failures")
    public List<String> failures() {
        List<String> out = new ArrayList<>();
        if (mismatches > 0) {
            out.add(mismatches + " of " + images + " images differ from the reference"
                    + (firstMismatches.isEmpty() ? "" : ", first: image " + firstMismatches.get(0).image() + " class "
                            + firstMismatches.get(0).actualClass() + ", expected " + firstMismatches.get(0).expectedClass()));
        }
        out.addAll(cycleProblems);
        return out;
    }

    @JsonProperty("passed")
    public boolean passed() {
        return failures().isEmpty();
    }

    /** One line: what was simulated and how it went. */
    public String summary() {
        String what = images + " images on " + simulator;
        if (passed()) {
            return "0 mismatches on " + what + ", " + (intervalMeasured == 0 ? "latency " + latencyMeasured
                    + " as predicted (one image per process: no interval measured)"
                    : intervalMeasured + " cycles per image and latency " + latencyMeasured + " as predicted");
        }
        return "FAILED on " + what + ": " + String.join("; ", failures());
    }
}
