package org.bcflow.cli;

import static org.bcflow.cli.Parse.atLeast;

import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.bcflow.sim.Verifier;

/** How a design is simulated against the reference: verify and flow. */
final class VerifyOptions {
    static final Opt<Integer> COUNT = Opt.computed("count", "N", "the whole test set", atLeast(1), "test images to simulate");
    static final Opt<Integer> JOBS = Opt.computed("jobs", "N", "the number of cores", atLeast(1),
            "processes at once: the simulators the test images are split over (verify, flow, asic's gate-level check), the cases or points run"
                    + " side by side (fuzz, explore)");
    static final Opt<List<Integer>> BACKPRESSURE = Opt.computed("backpressure", "GAP,STALL", null, backpressure(),
            "also run with random input gaps and output stalls, per mille (e.g. 200,300)");
    static final Opt<Integer> BP_SEED = Opt.of("bp-seed", "N", 1, atLeast(0), "seed of the backpressure pattern");
    static final Opt<String> SIMULATOR = Opt.of("simulator", "NAME", "verilator", Parse.text(),
            "verilator or icarus (slower; an independent second opinion)");
    static final Opt<Integer> TIMEOUT = Opt.of("timeout", "MIN", 30, atLeast(1),
            "limit for each simulator build and run, minutes");

    /** Where bcflow generates the design it verifies (flow, fuzz, explore); verify checks a folder as it is. */
    static final Opt<Boolean> PLANT_FAULT = Opt.flag("plant-fault", "plant a deliberate bug in each generated design"
            + " before it is verified (every layer's shift one too large): shows that the verification catches one");

    static final List<Opt<?>> ALL = List.of(COUNT, JOBS, BACKPRESSURE, BP_SEED, SIMULATOR, TIMEOUT);

    private VerifyOptions() {
    }

    /** GAP[,STALL] per mille; one value sets both; not both zero. */
    private static Parse.Parser<List<Integer>> backpressure() {
        Parse.Parser<List<Integer>> list = Parse.wholeNumbers(0, 999, "200,300");
        return new Parse.Parser<>() {
            public List<Integer> parse(String option, String text) throws ParseException {
                List<Integer> v;
                try {
                    v = list.parse(option, text);
                } catch (ParseException e) {
                    v = null;
                }
                if (v == null || v.size() > 2 || v.get(0) + v.get(v.size() - 1) == 0) {
                    throw new ParseException(option + " takes GAP,STALL per mille in 0..999, e.g. 200,300; got '" + text + "'");
                }
                return v;
            }

            public String range() {
                return "each 0..999, not both 0";
            }
        };
    }

    static Verifier.Options verification(CommandLine line, int testImages) throws ParseException {
        int count = COUNT.get(line, testImages);
        if (count > testImages) {
            throw new ParseException("--count " + count + " is more than the " + testImages + " test images");
        }
        var o = Verifier.Options.of(count).withJobs(JOBS.get(line, Runtime.getRuntime().availableProcessors()))
                .withSimulator(SIMULATOR.get(line));
        List<Integer> bp = BACKPRESSURE.get(line);
        if (bp != null) {
            o = o.withBackpressure(bp.get(0), bp.get(bp.size() - 1), BP_SEED.get(line));
        }
        return o;
    }
}
