package org.bcflow.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.bcflow.core.BcflowException;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.tools.KeptLogs;
import org.bcflow.core.data.Dataset;
import org.bcflow.sim.GateLevelCheck;
import org.bcflow.sim.GateLevelReport;
import org.bcflow.synth.asic.AsicFlow;
import org.bcflow.synth.asic.AsicResult;
import org.bcflow.synth.asic.Technology;

/**
 * {@code bcflow asic}: a generated design through the open standard-cell flow (qflow: Yosys
 * mapping, static timing) with the weights as logic, and the mapped netlist simulated against
 * the reference, so that a mapping bug shows here and not on silicon.
 */
final class AsicCommand implements Command {
    private static final Opt<Path> OUT = Opt.computed("out", "DIR", "RTL/" + Outputs.ASIC, (option, text) -> Path.of(text),
            "folder for asic.json, the mapped netlist, the qflow project and its logs");
    private static final Opt<String> TECH = Opt.of("tech", "NAME", "osu018", AsicCommand::technology,
            "standard-cell library: osu018, osu035 or osu050 (Debian's qflow-tech-NAME)");
    private static final Opt<Integer> GATE_IMAGES = Opt.of("gate-images", "N", 100, Parse.atLeast(1),
            "test images the gate-level simulation of the mapped netlist runs (Icarus, with the cells' Verilog models)");
    private static final Opt<Integer> STAGE_TIMEOUT = Opt.of("stage-timeout", "MIN", 60, Parse.atLeast(1),
            "time limit of each stage (synthesis, static timing, gate-level simulation), minutes");

    @Override
    public String name() {
        return "asic";
    }

    @Override
    public String summary() {
        return "map a generated RTL folder to standard cells with qflow (weights as logic): area, static timing, images/s,"
                + " and a gate-level simulation against the reference; writes OUT/asic.json";
    }

    @Override
    public List<Opt<?>> options() {
        return List.of(InputOptions.RTL, InputOptions.DATA, OUT, Outputs.FORCE, TECH, FoldingOptions.CLOCK_MHZ, GATE_IMAGES,
                VerifyOptions.JOBS, STAGE_TIMEOUT);
    }

    private static String technology(String option, String text) throws org.apache.commons.cli.ParseException {
        if (Technology.KNOWN.stream().noneMatch(t -> t.name().equals(text))) {
            throw new org.apache.commons.cli.ParseException(option + " takes one of " + String.join(", ",
                    Technology.KNOWN.stream().map(Technology::name).toList()) + "; got '" + text + "'");
        }
        return text;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path rtl = InputOptions.RTL.required(line);
        Path dir = OUT.get(line, rtl.resolve(Outputs.ASIC));
        Duration timeout = Duration.ofMinutes(STAGE_TIMEOUT.get(line));
        // every tool and file first: nothing is written when one is missing
        Technology tech = Technology.of(TECH.get(line));
        AsicFlow flow = new AsicFlow();
        flow.qflow();
        new org.bcflow.synth.Synthesizer().yosys();
        GateLevelCheck.requireSimulator();
        org.bcflow.rtlgen.Design.read(rtl);
        Stages stages = new Stages();
        Dataset data = stages.load(InputOptions.DATA.get(line));
        int images = Math.min(GATE_IMAGES.get(line), data.test().count());
        try (OutputFolder out = Outputs.open(line, dir, name(), null, java.util.Set.of())) {
            Stages.say("asic", "qflow (" + tech.name() + ") on " + rtl + ", project and logs in " + dir);
            AsicResult r;
            try {
                r = flow.run(rtl, out.staging(), new AsicFlow.Options(tech, FoldingOptions.CLOCK_MHZ.get(line), timeout));
            } catch (BcflowException e) {
                throw KeptLogs.keep(e, out.staging().resolve(AsicFlow.LOGS));
            }
            Stages.say("asic", r.verdict());
            Stages.say("asic", "gate-level simulation of " + r.netlist().getFileName() + " on " + images + " images (Icarus)");
            int jobs = VerifyOptions.JOBS.get(line, Runtime.getRuntime().availableProcessors());
            GateLevelReport gate = new GateLevelCheck(timeout, jobs).check(rtl, List.of(r.netlist(), tech.models()), data.test(),
                    images);
            Stages.say("asic", gate.summary());
            AsicReport report = new AsicReport(r, gate, out.staging());
            Reports.write(out, AsicResult.FILE, report.document());
            out.commit();
            System.out.print(out.published(report.table()));
            System.out.println("report: " + dir.resolve(AsicResult.FILE));
            return gate.passed() ? 0 : 1;
        }
    }
}
