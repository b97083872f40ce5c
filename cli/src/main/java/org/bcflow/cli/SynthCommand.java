package org.bcflow.cli;

import static org.bcflow.cli.Main.doubleValue;
import static org.bcflow.cli.Main.intValue;
import static org.bcflow.cli.Main.opt;
import static org.bcflow.cli.Main.required;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.OutputFolder;
import org.bcflow.synth.Device;
import org.bcflow.synth.SynthReport;
import org.bcflow.synth.Synthesizer;

final class SynthCommand implements Command {
    /** The default output folder, inside the design folder. */
    static final String DEFAULT_OUT = "synth";
    @Override
    public String name() {
        return "synth";
    }

    @Override
    public String summary() {
        return "synthesize a generated RTL folder with Yosys and nextpnr-ice40; writes OUT/synth.json";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(opt("rtl", "DIR", "folder written by rtl or flow (required)"));
        CommonOptions.out(o, "folder for synth.json, netlist and logs", "RTL/" + DEFAULT_OUT);
        synthOptions(o);
        return o;
    }

    /** The options {@code flow --synth} shares. */
    static void synthOptions(Options o) {
        o.addOption(opt("device", "NAME", "iCE40 device for nextpnr: hx8k, hx4k, hx1k, lp8k, up5k, ... (default " + Device.DEFAULT + ")"));
        o.addOption(opt("package", "NAME", "device package (default: the device's usual one, ct256 for hx8k)"));
        o.addOption(opt("families", "LIST", "extra Yosys-only estimates, comma-separated: xilinx, ecp5 (default none)"));
        o.addOption(opt("freq", "MHZ", "target frequency for nextpnr (default 12)"));
        o.addOption(opt("no-pnr", null, "Yosys only: skip nextpnr place and route (no Fmax)"));
        o.addOption(opt("synth-timeout", "MIN", "minutes per tool run (default 60)"));
    }

    static Synthesizer.Options synthOptions(CommandLine line) throws Exception {
        List<String> families = line.hasOption("families")
                ? Arrays.stream(line.getOptionValue("families").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                : List.of();
        Device.of(line.getOptionValue("device", Device.DEFAULT));  // an unknown device fails here, before any work
        return new Synthesizer.Options(line.getOptionValue("device", Device.DEFAULT), line.getOptionValue("package"),
                families, doubleValue(line, "freq", 12), !line.hasOption("no-pnr"),
                Duration.ofMinutes(intValue(line, "synth-timeout", 60, 1)));
    }

    /** Synthesizes {@code rtl} into {@code out} (logs, netlist, synth.json), a folder staged in {@code folder}. */
    static SynthReport synth(Path rtl, Path out, Synthesizer.Options opt, OutputFolder folder) {
        Stages.say("synth", "Yosys" + (opt.placeAndRoute() ? " + nextpnr-ice40 (" + opt.device() + ")" : "") + " on " + rtl
                + ", logs in " + folder.published(out.toString()));
        SynthReport r = new Synthesizer().run(rtl, out, opt);
        AtomicFiles.writeString(out.resolve(SynthReport.FILE), folder.published(r.toJson().toPrettyString()) + "\n");
        return r;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path rtl = Path.of(required(line, "rtl"));
        Path dir = Path.of(line.getOptionValue("out", rtl.resolve(DEFAULT_OUT).toString()));
        Synthesizer.Options options = synthOptions(line);
        try (OutputFolder out = CommonOptions.open(line, dir, name(), null, Set.of())) {
            SynthReport r = synth(rtl, out.staging(), options, out);
            out.commit();
            System.out.print(out.published(r.table()));
            System.out.println("report: " + dir.resolve(SynthReport.FILE));
        }
        return 0;
    }
}
