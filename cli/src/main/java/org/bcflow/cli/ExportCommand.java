package org.bcflow.cli;

import static org.bcflow.cli.Main.opt;

import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.data.Dataset;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.RomImage;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;
import org.bcflow.trainer.Checkpoint;
import org.bcflow.trainer.FloatModel;

final class ExportCommand implements Command {
    static final String NETWORK = "network.bcnet";

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "turn a trained model into the integer network (OUT/" + NETWORK + ") and ROM files (OUT/roms: .mem .coe .mif)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(opt("model", "FILE", "checkpoint written by train (default OUT/" + TrainCommand.CHECKPOINT + ")"));
        CommonOptions.data(o);
        CommonOptions.out(o, "folder for the network file and ROM files");
        CommonOptions.activation(o);
        CommonOptions.folding(o);
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path out = CommonOptions.out(line);
        Path modelFile = Path.of(line.getOptionValue("model", out.resolve(TrainCommand.CHECKPOINT).toString()));
        int bits = CommonOptions.activation(line);
        Stages stages = new Stages();
        FloatModel model = Checkpoint.readModel(modelFile);
        Dataset data = stages.load(CommonOptions.data(line));
        Network net = stages.export(model, bits, data.name());
        Folding folding = CommonOptions.folding(line, net);
        Design design = CommonOptions.generator(line).plan(net, folding);
        NetworkFile.write(net, out.resolve(NETWORK));
        org.bcflow.core.AtomicFiles.writeFolder(out.resolve("roms"), dir -> {
            for (RomImage rom : RtlGenerator.roms(net, design)) {
                rom.writeAll(dir);
            }
        });
        double fa = stages.floatAccuracy(model, data.test());
        double ia = stages.integerAccuracy(net, data.test());
        System.out.printf("network %s (%s), hash %s%n", out.resolve(NETWORK), net.describe(), net.hash().substring(0, 16));
        System.out.printf("ROM files in %s for folding %s%n", out.resolve("roms"), folding);
        System.out.printf("test accuracy: float %s, integer %s%n", Reports.pct(fa), Reports.pct(ia));
        return 0;
    }
}
