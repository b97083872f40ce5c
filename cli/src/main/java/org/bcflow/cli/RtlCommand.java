package org.bcflow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.bcflow.core.HardwareSupport;
import org.bcflow.core.Network;
import org.bcflow.core.OutputFolder;
import org.bcflow.rtlgen.Design;

final class RtlCommand implements Command {
    private static final Opt<Path> OUT = Outputs.out("folder for the Verilog, ROM files and design.json",
            Outputs.DEFAULT_OUT + "/" + Outputs.RTL);

    @Override
    public String name() {
        return "rtl";
    }

    @Override
    public String summary() {
        return "generate Verilog-2005 and ROM files for a network file into OUT";
    }

    @Override
    public List<Opt<?>> options() {
        List<Opt<?>> o = new ArrayList<>(List.of(InputOptions.NETWORK, OUT, Outputs.FORCE));
        o.addAll(FoldingOptions.ALL);
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Network net = InputOptions.network(line);
        HardwareSupport.requireGeneratable(net, InputOptions.NETWORK.required(line).toString());
        var generator = FoldingOptions.generator(line);
        var folding = FoldingOptions.folding(line, net);
        Path dir = OUT.get(line);
        try (OutputFolder out = Outputs.open(line, dir, name(), null, Outputs.STALE_WITH_THE_DESIGN)) {
            Design d = new Stages().rtl(generator, net, folding, out.staging());
            out.commit();
            System.out.print(Tables.design(d, net));
            System.out.println("Verilog in " + dir);
        }
        return 0;
    }
}
