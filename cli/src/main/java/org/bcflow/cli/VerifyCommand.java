package org.bcflow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.data.Dataset;
import org.bcflow.sim.VerifyReport;

final class VerifyCommand implements Command {
    /** Its default is beside the design, worked out from --rtl. */
    private static final Opt<Path> REPORT = Opt.computed("report", "FILE", "DIR/" + Outputs.VERIFY_REPORT,
            (option, text) -> Path.of(text), "JSON report");

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "simulate a generated RTL folder in Verilator and compare it bit for bit with the Java reference";
    }

    @Override
    public List<Opt<?>> options() {
        List<Opt<?>> o = new ArrayList<>(List.of(InputOptions.RTL, InputOptions.DATA));
        o.addAll(VerifyOptions.ALL);
        o.addAll(List.of(REPORT, Outputs.FORCE));
        o.addAll(ExecutorOptions.ALL);
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        ExecutorOptions.check(line);
        Path rtl = InputOptions.RTL.required(line);
        Stages stages = new Stages();
        Dataset data = stages.load(InputOptions.DATA.get(line));
        var options = VerifyOptions.verification(line, data.test().count());
        int timeout = VerifyOptions.TIMEOUT.get(line);
        if (!VerifyOptions.SIMULATOR.get(line).equals("icarus")) {
            org.bcflow.sim.Verilator.locate();  // a missing simulator is reported before anything is written
        }
        Path report = REPORT.get(line, rtl.resolve(Outputs.VERIFY_REPORT)).toAbsolutePath().normalize();
        boolean reportBeside = report.getParent().equals(rtl.toAbsolutePath().normalize());
        String failure = Outputs.VERIFY_FAILURE;
        List<String> names = reportBeside ? List.of(report.getFileName().toString(), failure) : List.of(failure);
        try (OutputFolder out = Outputs.open(line, rtl, name(), names, Set.of());
                OutputFolder reportOut = reportBeside ? null : Outputs.open(line, report.getParent(), name(),
                        List.of(report.getFileName().toString()), Set.of())) {
            VerifyReport r;
            if (ExecutorOptions.slurm(line) || ExecutorOptions.RETRIES.given(line)) {
                // the image shards (--jobs of them) as tasks, in the output folder's staging area (shared with the nodes)
                var executor = ExecutorOptions.executor(line, options.jobs());
                Stages.say("verify", options.jobs() + " image shards on " + executor.describe());
                r = stages.verify(rtl, data.test(), options.withFailureDir(out.stage(failure)), timeout, executor,
                        out.staging().resolve("shards"));
                if (r == null) {
                    return 0;  // a dry run: the scripts were printed
                }
            } else {
                r = stages.verify(rtl, data.test(), options.withFailureDir(out.stage(failure)), timeout);
            }
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
