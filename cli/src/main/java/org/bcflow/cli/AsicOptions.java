package org.bcflow.cli;

import java.time.Duration;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.bcflow.sim.GateLevelCheck;
import org.bcflow.synth.asic.AsicFlow;
import org.bcflow.synth.asic.Technology;

/** How a design goes through the ASIC flow: asic and flow --asic. */
final class AsicOptions {
    static final Opt<Boolean> ASIC = Opt.flag("asic", "also run the ASIC flow (qflow, standard cells, the gate-level check)"
            + " as the last stage: OUT/rtl/asic/");
    static final Opt<String> TECH = Opt.of("tech", "NAME", "osu018", AsicOptions::technology,
            "standard-cell library of the ASIC flow: osu018, osu035 or osu050 (Debian's qflow-tech-NAME)");
    static final Opt<Integer> GATE_IMAGES = Opt.of("gate-images", "N", 100, Parse.atLeast(1),
            "test images the gate-level simulation of the mapped netlist runs (Icarus, with the library's cell models:"
                    + " about a dozen cycles a second on 100,000 cells)");
    static final Opt<Integer> STAGE_TIMEOUT = Opt.of("stage-timeout", "MIN", 60, Parse.atLeast(1),
            "time limit of each ASIC stage (synthesis, static timing, each gate-level simulator run), minutes");

    /** The options asic shares with flow --asic (beside --clock-mhz and --jobs, which are others' too). */
    static final List<Opt<?>> ALL = List.of(TECH, GATE_IMAGES, STAGE_TIMEOUT);

    private AsicOptions() {
    }

    /** What the ASIC stage needs, read and checked (tools included) before any work. */
    record Settings(Technology tech, double clockMhz, int gateImages, int jobs, Duration stageTimeout) {
        AsicFlow.Options flowOptions() {
            return new AsicFlow.Options(tech, clockMhz, stageTimeout);
        }
    }

    /** The settings; a missing tool (qflow, Yosys, Icarus) or cell library is one line here, before anything runs. */
    static Settings settings(CommandLine line) throws ParseException {
        Technology tech = Technology.of(TECH.get(line));
        new AsicFlow().qflow();
        new org.bcflow.synth.Synthesizer().yosys();
        GateLevelCheck.requireSimulator(GateLevelCheck.Simulator.ICARUS);
        return new Settings(tech, FoldingOptions.CLOCK_MHZ.get(line), GATE_IMAGES.get(line),
                VerifyOptions.JOBS.get(line, Runtime.getRuntime().availableProcessors()),
                Duration.ofMinutes(STAGE_TIMEOUT.get(line)));
    }

    private static String technology(String option, String text) throws ParseException {
        if (Technology.KNOWN.stream().noneMatch(t -> t.name().equals(text))) {
            throw new ParseException(option + " takes one of " + String.join(", ",
                    Technology.KNOWN.stream().map(Technology::name).toList()) + "; got '" + text + "'");
        }
        return text;
    }
}
