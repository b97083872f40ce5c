package org.bcflow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.bcflow.core.OutputFolder;
import org.bcflow.synth.SynthReport;
import org.bcflow.synth.Synthesizer;

final class SynthCommand implements Command {
    /** Its default is inside the design folder, worked out from --rtl. */
    private static final Opt<Path> OUT = Opt.computed("out", "DIR", "RTL/" + Outputs.SYNTH, (option, text) -> Path.of(text),
            "folder for synth.json, netlist and logs");

    @Override
    public String name() {
        return "synth";
    }

    @Override
    public String summary() {
        return "synthesize a generated RTL folder with Yosys and nextpnr-ice40; writes OUT/synth.json";
    }

    @Override
    public List<Opt<?>> options() {
        List<Opt<?>> o = new ArrayList<>(List.of(InputOptions.RTL, OUT, Outputs.FORCE));
        o.addAll(SynthOptions.ALL);
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path rtl = InputOptions.RTL.required(line);
        Path dir = OUT.get(line, rtl.resolve(Outputs.SYNTH));
        Synthesizer.Options options = SynthOptions.options(line);
        try (OutputFolder out = Outputs.open(line, dir, name(), null, Set.of())) {
            SynthReport r = new Stages().synth(rtl, out.staging(), options, out);
            out.commit();
            System.out.print(out.published(r.table()));
            System.out.println("report: " + dir.resolve(SynthReport.FILE));
        }
        return 0;
    }
}
