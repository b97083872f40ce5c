package org.bcflow.cli;

import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.data.Dataset;
import org.bcflow.synth.asic.AsicResult;

/**
 * {@code bcflow asic}: a generated design through the open standard-cell flow (qflow: Yosys
 * mapping, static timing) with the weights as logic, and the mapped netlist simulated against
 * the reference, so that a mapping bug shows here and not on silicon.
 */
final class AsicCommand implements Command {
    private static final Opt<Path> OUT = Opt.computed("out", "DIR", "RTL/" + Outputs.ASIC, (option, text) -> Path.of(text),
            "folder for asic.json, the mapped netlist, the qflow project and its logs");

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
        List<Opt<?>> o = new java.util.ArrayList<>(List.of(InputOptions.RTL, InputOptions.DATA, OUT, Outputs.FORCE));
        o.addAll(AsicOptions.ALL);
        o.addAll(List.of(FoldingOptions.CLOCK_MHZ, VerifyOptions.JOBS));
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path rtl = InputOptions.RTL.required(line);
        Path dir = OUT.get(line, rtl.resolve(Outputs.ASIC));
        // every tool and file first: nothing is written when one is missing
        AsicOptions.Settings settings = AsicOptions.settings(line);
        org.bcflow.rtlgen.Design.read(rtl);
        Stages stages = new Stages();
        Dataset data = stages.load(InputOptions.DATA.get(line));
        try (OutputFolder out = Outputs.open(line, dir, name(), null, java.util.Set.of())) {
            AsicReport report = stages.asic(rtl, out.staging(), settings, data.test(), out);
            Reports.write(out, AsicResult.FILE, report.document());
            out.commit();
            System.out.print(out.published(report.table()));
            System.out.println("report: " + dir.resolve(AsicResult.FILE));
            return report.gateLevel().passed() ? 0 : 1;
        }
    }
}
