package org.bcflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.HardwareSupport;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.data.Dataset;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RomImage;
import org.bcflow.rtlgen.RtlGenerator;
import org.bcflow.trainer.Checkpoint;
import org.bcflow.trainer.FloatModel;

final class ExportCommand implements Command {
    private static final Opt<Path> OUT = Outputs.out("folder for the network file and ROM files");
    /** Its default is in the output folder, worked out from --out. */
    private static final Opt<Path> MODEL = Opt.computed("model", "FILE", "OUT/" + Outputs.CHECKPOINT,
            (option, text) -> Path.of(text), "checkpoint written by train");

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "turn a trained model into the integer network (OUT/" + Outputs.NETWORK + ") and ROM files (OUT/"
                + Outputs.ROMS + ": .mem .coe .mif)";
    }

    @Override
    public List<Opt<?>> options() {
        List<Opt<?>> o = new ArrayList<>(List.of(MODEL, InputOptions.DATA, OUT, Outputs.FORCE, InputOptions.ACT_BITS));
        o.addAll(FoldingOptions.ALL);
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path dir = OUT.get(line);
        Path modelFile = MODEL.get(line, dir.resolve(Outputs.CHECKPOINT));
        int bits = InputOptions.ACT_BITS.get(line);
        Stages stages = new Stages();
        FloatModel model = Checkpoint.readModel(modelFile);
        Dataset data = stages.load(InputOptions.DATA.get(line));
        if (model.inputSize() != data.test().pixelsPerImage() || model.classes() != data.test().classes()) {
            throw new BcflowException(modelFile + " is a model of " + model.inputSize() + " inputs and " + model.classes()
                    + " classes, but " + data.name() + " has images of " + data.test().shape() + " ("
                    + data.test().pixelsPerImage() + " values) and " + data.test().classes() + " classes");
        }
        if (model.isConvolutional() && !model.input().equals(data.test().shape())) {
            throw new BcflowException(modelFile + " is a model of " + model.input() + " images, but " + data.name()
                    + " has images of " + data.test().shape());
        }
        Network net = stages.export(model, bits, data.name());
        HardwareSupport.requireGeneratable(net, modelFile.toString());
        Folding folding = FoldingOptions.folding(line, net);
        Design design = FoldingOptions.generator(line).plan(net, folding);
        try (OutputFolder out = Outputs.open(line, dir, name(), List.of(Outputs.NETWORK, Outputs.ROMS), Set.of())) {
            NetworkFile.write(net, out.stage(Outputs.NETWORK));
            Files.createDirectories(out.stage(Outputs.ROMS));
            for (RomImage rom : RtlGenerator.roms(net, design)) {
                rom.writeAll(out.stage(Outputs.ROMS));
            }
            double fa = stages.floatAccuracy(model, data.test());
            double ia = stages.integerAccuracy(net, data.test());
            out.commit();
            System.out.printf("network %s (%s), hash %s%n", dir.resolve(Outputs.NETWORK), net.describe(),
                    net.hash().substring(0, 16));
            System.out.printf("ROM files in %s for folding %s%n", dir.resolve(Outputs.ROMS), folding);
            System.out.printf("test accuracy: float %s, integer %s%n", Reports.pct(fa), Reports.pct(ia));
        }
        return 0;
    }
}
