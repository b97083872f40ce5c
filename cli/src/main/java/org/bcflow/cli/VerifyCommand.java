package org.bcflow.cli;

import static org.bcflow.cli.Main.opt;
import static org.bcflow.cli.Main.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.bcflow.core.data.Dataset;
import org.bcflow.sim.VerifyReport;

final class VerifyCommand implements Command {
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
        o.addOption(opt("report", "FILE", "JSON report (default DIR/verify.json)"));
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path rtl = Path.of(required(line, "rtl"));
        Stages stages = new Stages();
        Dataset data = stages.load(CommonOptions.data(line));
        VerifyReport r = stages.verify(rtl, data.test(), CommonOptions.verification(line, data.test().count()),
                Main.intValue(line, "timeout", 30, 1));
        ObjectNode json = Reports.verifyJson(r);
        json.put("dataset", data.name());
        json.put("rtl", rtl.toString());
        Path report = Path.of(line.getOptionValue("report", rtl.resolve("verify.json").toString()));
        Reports.write(report, json);
        System.out.print(Reports.verifyTable(r));
        System.out.println("report: " + report);
        return r.passed() ? 0 : 1;
    }
}
