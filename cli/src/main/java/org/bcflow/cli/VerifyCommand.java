package org.bcflow.cli;

import static org.bcflow.cli.Main.opt;
import static org.bcflow.cli.Main.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.data.Dataset;
import org.bcflow.sim.VerifyReport;

final class VerifyCommand implements Command {
    static final String REPORT = "verify.json";
    /** Where the waveform of a failure goes, in the design folder. */
    static final String FAILURE = "verify-failure";
    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "simulate a generated RTL folder in Verilator and compare it bit for bit with the Java reference";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(opt("rtl", "DIR", "folder written by rtl or flow (required)"));
        CommonOptions.data(o);
        CommonOptions.verification(o);
        o.addOption(opt("report", "FILE", "JSON report (default DIR/" + REPORT + ")"));
        o.addOption(opt("force", null, "replace a report or waveform in its place that bcflow did not write"));
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path rtl = Path.of(required(line, "rtl"));
        Stages stages = new Stages();
        Dataset data = stages.load(CommonOptions.data(line));
        var options = CommonOptions.verification(line, data.test().count());
        int timeout = Main.intValue(line, "timeout", 30, 1);
        if (!line.getOptionValue("simulator", "verilator").equals("icarus")) {
            org.bcflow.sim.Verilator.locate();  // a missing simulator is reported before anything is written
        }
        Path report = Path.of(line.getOptionValue("report", rtl.resolve(REPORT).toString())).toAbsolutePath().normalize();
        boolean reportBeside = report.getParent().equals(rtl.toAbsolutePath().normalize());
        List<String> names = reportBeside ? List.of(report.getFileName().toString(), FAILURE) : List.of(FAILURE);
        try (OutputFolder out = CommonOptions.open(line, rtl, name(), names, Set.of());
                OutputFolder reportOut = reportBeside ? null : CommonOptions.open(line, report.getParent(), name(),
                        List.of(report.getFileName().toString()), Set.of())) {
            VerifyReport r = stages.verify(rtl, data.test(), options.withFailureDir(out.stage(FAILURE)), timeout);
            ObjectNode json = Reports.verifyJson(r);
            json.put("dataset", data.name());
            json.put("rtl", rtl.toString());
            OutputFolder home = reportBeside ? out : reportOut;
            Reports.write(home, report.getFileName().toString(), json);
            out.commit();
            if (reportOut != null) {
                reportOut.commit();
            }
            System.out.print(out.published(Reports.verifyTable(r)));
            System.out.println("report: " + report);
            return r.passed() ? 0 : 1;
        }
    }
}
