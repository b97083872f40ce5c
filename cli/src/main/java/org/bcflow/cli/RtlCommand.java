package org.bcflow.cli;

import static org.bcflow.cli.Main.opt;
import static org.bcflow.cli.Main.required;

import java.nio.file.Path;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.OutputFolder;
import org.bcflow.rtlgen.Design;

final class RtlCommand implements Command {
    static final String DEFAULT_OUT = CommonOptions.DEFAULT_OUT + "/rtl";
    /** Reports about a design, which a new design in their folder makes stale. */
    static final Set<String> STALE_WITH_THE_DESIGN = Set.of("verify", "synth");
    @Override
    public String name() {
        return "rtl";
    }

    @Override
    public String summary() {
        return "generate Verilog-2005 and ROM files for a network file into OUT";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(opt("network", "FILE", "network file written by export (required)"));
        CommonOptions.out(o, "folder for the Verilog, ROM files and design.json", DEFAULT_OUT);
        CommonOptions.folding(o);
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Network net = NetworkFile.read(Path.of(required(line, "network")));
        var generator = CommonOptions.generator(line);
        var folding = CommonOptions.folding(line, net);
        Path dir = CommonOptions.out(line, DEFAULT_OUT);
        try (OutputFolder out = CommonOptions.open(line, dir, name(), null, STALE_WITH_THE_DESIGN)) {
            Design d = new Stages().rtl(generator, net, folding, out.staging());
            out.commit();
            System.out.print(designTable(d));
            System.out.println("Verilog in " + dir);
        }
        return 0;
    }

    static String designTable(Design d) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  %-8s %12s %9s %8s%n", "layer", "in x out", "PE x SIMD", "cycles"));
        for (Design.Layer l : d.layers()) {
            sb.append(String.format("  %-8s %12s %9s %8d%n", l.name(), l.inputs() + "x" + l.outputs(), l.pe() + "x" + l.simd(),
                    l.cycles()));
        }
        sb.append(String.format("  %-28s %12s %-10s %6s %5s%n", "memory", "words x bits", "in", "blocks", "fill"));
        for (Design.Memory m : d.memories()) {
            sb.append(String.format("  %-28s %12s %-10s %6d %5.0f%%%n", m.name(), m.depth() + "x" + m.width(),
                    m.blockRam() ? "block RAM" : "logic", m.ice40Blocks(), 100 * m.fill()));
        }
        sb.append(String.format("  block RAM: %d iCE40 blocks (4 Kbit); memories under %.0f%% fill go into logic%n",
                d.ice40Blocks(), 100 * org.bcflow.rtlgen.BlockRam.MIN_FILL));
        sb.append(String.format("  predicted: %d cycles per image, latency %d cycles%n", d.intervalCycles(), d.latencyCycles()));
        return sb.toString();
    }
}
