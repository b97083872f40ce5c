package org.bcflow.cli;

import static org.bcflow.cli.Main.opt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.data.Dataset;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.RomImage;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;
import org.bcflow.trainer.Checkpoint;
import org.bcflow.trainer.FloatModel;

final class ExportCommand implements Command {
    static final String NETWORK = "network.bcnet";
    static final String ROMS = "roms";

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
        Path dir = CommonOptions.out(line);
        Path modelFile = Path.of(line.getOptionValue("model", dir.resolve(TrainCommand.CHECKPOINT).toString()));
        int bits = CommonOptions.activation(line);
        Stages stages = new Stages();
        FloatModel model = Checkpoint.readModel(modelFile);
        Dataset data = stages.load(CommonOptions.data(line));
        if (model.inputSize() != data.test().pixelsPerImage() || model.classes() != data.test().classes()) {
            throw new BcflowException(modelFile + " is a model of " + model.inputSize() + " inputs and " + model.classes()
                    + " classes, but " + data.name() + " has images of " + data.test().pixelsPerImage() + " pixels and "
                    + data.test().classes() + " classes");
        }
        Network net = stages.export(model, bits, data.name());
        Folding folding = CommonOptions.folding(line, net);
        Design design = CommonOptions.generator(line).plan(net, folding);
        try (OutputFolder out = CommonOptions.open(line, dir, name(), List.of(NETWORK, ROMS), Set.of())) {
            NetworkFile.write(net, out.stage(NETWORK));
            Files.createDirectories(out.stage(ROMS));
            for (RomImage rom : RtlGenerator.roms(net, design)) {
                rom.writeAll(out.stage(ROMS));
            }
            double fa = stages.floatAccuracy(model, data.test());
            double ia = stages.integerAccuracy(net, data.test());
            out.commit();
            System.out.printf("network %s (%s), hash %s%n", dir.resolve(NETWORK), net.describe(), net.hash().substring(0, 16));
            System.out.printf("ROM files in %s for folding %s%n", dir.resolve(ROMS), folding);
            System.out.printf("test accuracy: float %s, integer %s%n", Reports.pct(fa), Reports.pct(ia));
        }
        return 0;
    }
}
