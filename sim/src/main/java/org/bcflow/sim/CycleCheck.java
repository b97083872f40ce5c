package org.bcflow.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bcflow.core.Network;
import org.bcflow.rtlgen.CycleModel;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.StreamModel;

/**
 * Holds the measured cycles of the simulation runs against the cycle model ({@link CycleModel}),
 * recomputed from the network and the design's folding. The pipeline is a chain of stages: the
 * first layer (with the image streaming in), each further layer, the argmax. Each stage starts an
 * image when it hands the previous one on (bc_dense and bc_argmax take a new input only once their
 * output is free), so:
 *
 * <ul>
 *   <li>without stalls, each process's first image meets an empty pipeline: every stage takes
 *       exactly its predicted cycles, and the latency is exactly the predicted one. Every interval
 *       between outputs is exactly the predicted one, from the first: the stages before the slowest
 *       are each at most as slow, so they hand it its next image by the time it is free, and the
 *       stages after it are faster, so they never hold it up;</li>
 *   <li>in every run, with or without stalls, no stage takes fewer than its predicted cycles for an
 *       image, and no stage hands on two images fewer than its predicted cycles apart. (The output
 *       stream itself may bunch after a stall, down to the argmax's cycles apart: only a stage's
 *       own cycles bound its own results.)</li>
 * </ul>
 *
 * Each disagreement is one problem line with the figures, first occurrence and count.
 */
final class CycleCheck {
    private static final String ARGMAX = "argmax";

    /** One stage: the tap whose handshake ends it (-1: the input, layers: their taps, argmax: the output). */
    private record Stage(String name, int tap, long delay, long spacing) {
    }

    private final List<Stage> stages = new ArrayList<>();
    private final StreamModel model;  // a design with conv layers: the cycle-by-cycle model, else null
    private final long interval;
    private final long latency;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, int[]> counts = new LinkedHashMap<>();   // kind -> {occurrences}
    private final Map<String, String> firsts = new LinkedHashMap<>();  // kind -> first occurrence

    /** The predictions for this design, from the cycle model; where design.json says otherwise, that is a problem too. */
    CycleCheck(Design design, Network net) {
        if (design.layers().get(0).conv() != null) {
            model = StreamModel.of(design);
            long[] il = model.intervalAndLatency();
            interval = il[0];
            latency = il[1];
            if (design.intervalCycles() != interval || design.latencyCycles() != latency) {
                problems.add(Design.FILE + " predicts interval " + design.intervalCycles() + " and latency "
                        + design.latencyCycles() + ", the cycle model " + interval + " and " + latency);
            }
            return;
        }
        model = null;
        Folding folding = new Folding(design.layers().stream().map(l -> new LayerFolding(l.pe(), l.simd())).toList());
        interval = CycleModel.interval(net, folding, design.pixelsPerBeat());
        latency = CycleModel.latency(net, folding, design.pixelsPerBeat(), design.ramInput());
        long input = CycleModel.inputCycles(net, design.pixelsPerBeat()) - (design.ramInput() ? 0 : 1);
        for (int i = 0; i < design.layers().size(); i++) {
            Design.Layer l = design.layers().get(i);
            long c = CycleModel.layerCycles(net.layer(i), folding.layer(i));
            stages.add(new Stage(l.name(), i, (i == 0 ? input : 0) + c, c));
            if (l.cycles() != c) {
                problems.add(Design.FILE + " predicts " + l.cycles() + " cycles for " + l.name() + ", the cycle model " + c);
            }
        }
        long argmax = CycleModel.argmaxCycles(net);
        stages.add(new Stage(ARGMAX, design.layers().size(), argmax, argmax));
        if (design.intervalCycles() != interval || design.latencyCycles() != latency) {
            problems.add(Design.FILE + " predicts interval " + design.intervalCycles() + " and latency "
                    + design.latencyCycles() + ", the cycle model " + interval + " and " + latency);
        }
    }

    long interval() {
        return interval;
    }

    long latency() {
        return latency;
    }

    /**
     * The run without stalls: exact latency and stage cycles of each process's first image, exact
     * intervals, and the bounds. Returns the intervals between outputs, sorted.
     */
    long[] clean(List<SimOutput> runs, int[] firstImage) {
        if (model != null) {
            exact("", runs, firstImage, 0, 0, 0);
        }
        for (int c = 0; c < runs.size() && model == null; c++) {
            SimOutput out = runs.get(c);
            long measured = out.outCycle[0] - out.inCycle[0];
            if (measured != latency) {
                problem("latency", "latency predicted " + latency + ", measured " + measured + " (image " + firstImage[c] + ")");
            }
            for (Stage s : stages) {
                long took = end(out, s, 0) - start(out, s, 0);
                if (took != s.delay()) {
                    problem("stage " + s.name(), s.name() + " took " + took + " cycles for image " + firstImage[c]
                            + " in an empty pipeline, predicted " + s.delay());
                }
            }
        }
        List<Long> intervals = new ArrayList<>();
        for (int c = 0; c < runs.size(); c++) {
            SimOutput out = runs.get(c);
            for (int k = 1; k < out.count; k++) {
                long measured = out.outCycle[k] - out.outCycle[k - 1];
                intervals.add(measured);
                if (measured != interval && model == null) {
                    problem("interval", "interval predicted " + interval + ", measured " + measured
                            + " (between the outputs of images " + (firstImage[c] + k - 1) + " and " + (firstImage[c] + k) + ")");
                }
            }
        }
        if (model == null) {
            bounds("", runs, firstImage);
        }
        return intervals.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /**
     * A run with input gaps and output stalls (run c seeded {@code seed + c}): for a design with
     * conv layers every cycle as the model replays the testbench's draws, else the bounds only.
     */
    void stalled(List<SimOutput> runs, int[] firstImage, int gap, int stall, long seed) {
        if (model != null) {
            exact("under backpressure, ", runs, firstImage, gap, stall, seed);
        } else {
            bounds("under backpressure, ", runs, firstImage);
        }
    }

    /** Every image's first input beat and output, to the cycle, against the stream model's run of the same testbench. */
    private void exact(String run, List<SimOutput> runs, int[] firstImage, int gap, int stall, long seed) {
        for (int c = 0; c < runs.size(); c++) {
            SimOutput out = runs.get(c);
            StreamModel.Run want = model.run(out.count, gap, stall, seed + c);
            for (int k = 0; k < out.count; k++) {
                if (out.inCycle[k] != want.inCycles()[k]) {
                    problem(run + "input", run + "image " + (firstImage[c] + k) + "'s first beat was taken in cycle "
                            + out.inCycle[k] + ", the cycle model says " + want.inCycles()[k]);
                }
                if (out.outCycle[k] != want.outCycles()[k]) {
                    problem(run + "output", run + "image " + (firstImage[c] + k) + "'s class came out in cycle "
                            + out.outCycle[k] + ", the cycle model says " + want.outCycles()[k]);
                }
            }
        }
    }

    private void bounds(String run, List<SimOutput> runs, int[] firstImage) {
        for (int c = 0; c < runs.size(); c++) {
            SimOutput out = runs.get(c);
            for (Stage s : stages) {
                for (int k = 0; k < out.count; k++) {
                    long took = end(out, s, k) - start(out, s, k);
                    if (took < s.delay()) {
                        problem(run + "fast " + s.name(), run + s.name() + " took " + took + " cycles for image "
                                + (firstImage[c] + k) + ", the cycle model at least " + s.delay());
                    }
                    long apart = k == 0 ? Long.MAX_VALUE : end(out, s, k) - end(out, s, k - 1);
                    if (apart < s.spacing()) {
                        problem(run + "close " + s.name(), run + s.name() + " handed on images " + (firstImage[c] + k - 1)
                                + " and " + (firstImage[c] + k) + " " + apart + " cycles apart, the cycle model at least "
                                + s.spacing());
                    }
                }
            }
        }
    }

    /** The cycle image k reached this stage: its first beat accepted, or the previous stage's handshake. */
    private static long start(SimOutput out, Stage s, int k) {
        return s.tap() == 0 ? out.inCycle[k] : out.tapCycle[s.tap() - 1][k];
    }

    /** The cycle this stage handed image k on. */
    private long end(SimOutput out, Stage s, int k) {
        return s.tap() == stages.size() - 1 ? out.outCycle[k] : out.tapCycle[s.tap()][k];
    }

    private void problem(String kind, String message) {
        counts.computeIfAbsent(kind, x -> new int[1])[0]++;
        firsts.putIfAbsent(kind, message);
    }

    /** Every disagreement: the first of each kind, with how often it occurred. */
    List<String> problems() {
        List<String> out = new ArrayList<>(problems);
        firsts.forEach((kind, first) -> {
            int n = counts.get(kind)[0];
            out.add(first + (n > 1 ? " (and " + (n - 1) + " more)" : ""));
        });
        return out;
    }
}
