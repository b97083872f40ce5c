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
    private static final Opt<Path> MODEL = InputOptions.MODEL;

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "turn a trained model into the integer network (OUT/" + Outputs.NETWORK + ") and ROM files (OUT/"
                + Outputs.ROMS + ": .mem .coe .mif); with --qonnx also (or, from --network, only) a QONNX model";
    }

    @Override
    public List<Opt<?>> options() {
        List<Opt<?>> o = new ArrayList<>(List.of(MODEL, InputOptions.NETWORK, QonnxOptions.QONNX, InputOptions.DATA, OUT,
                Outputs.FORCE, InputOptions.ACT_BITS));
        o.addAll(FoldingOptions.ALL);
        return o;
    }

    /** --qonnx for export: a file name, written into --out with the other outputs (one transaction). */
    private static String qonnxName(CommandLine line) throws org.apache.commons.cli.ParseException {
        Path q = QonnxOptions.QONNX.get(line);
        if (q == null) {
            return null;
        }
        String name = q.getFileName() == null ? "" : q.getFileName().toString();
        if (q.getParent() != null || !name.endsWith(".onnx") || name.startsWith(".")) {
            throw new org.apache.commons.cli.ParseException("--qonnx takes a file name ending in .onnx, written into --out with"
                    + " the other outputs, got '" + q + "'");
        }
        return name;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path dir = OUT.get(line);
        String qonnx = qonnxName(line);
        if (InputOptions.NETWORK.given(line)) {
            if (MODEL.given(line) || InputOptions.ACT_BITS.given(line)) {
                throw new org.apache.commons.cli.ParseException("export --network takes the network as it is: --"
                        + (MODEL.given(line) ? MODEL.name() : InputOptions.ACT_BITS.name()) + " does not apply");
            }
            return exportNetwork(line, dir, qonnx);
        }
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
        List<String> names = new ArrayList<>(List.of(Outputs.NETWORK, Outputs.ROMS));
        if (qonnx != null) {
            names.add(qonnx);
        }
        try (OutputFolder out = Outputs.open(line, dir, name(), names, Set.of())) {
            NetworkFile.write(net, out.stage(Outputs.NETWORK));
            ImportReport proof = qonnx == null ? null : stages.exportQonnx(net, out.stage(qonnx), data.test());
            if (proof != null && proof.failure() != null) {
                System.err.println("bcflow export: the QONNX model: " + proof.failure());
                return 1;
            }
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
            if (qonnx != null) {
                System.out.printf("QONNX model %s: imports back as the same network; agrees with it on all %d test images%n",
                        dir.resolve(qonnx), data.test().count());
            }
        }
        return 0;
    }

    /** export --network FILE --qonnx NAME: an existing network as a QONNX model, and nothing else. */
    private int exportNetwork(CommandLine line, Path dir, String qonnx) throws Exception {
        if (qonnx == null) {
            throw new org.apache.commons.cli.ParseException("export --network writes the network as QONNX: give --qonnx NAME.onnx");
        }
        Path file = InputOptions.NETWORK.get(line);
        Network net = NetworkFile.read(file);
        Stages stages = new Stages();
        Dataset data = stages.load(InputOptions.DATA.get(line));
        try (OutputFolder out = Outputs.open(line, dir, name(), List.of(qonnx), Set.of())) {
            ImportReport proof = stages.exportQonnx(net, out.stage(qonnx), data.test());
            if (proof.failure() != null) {
                System.err.println("bcflow export: the QONNX model: " + proof.failure());
                return 1;
            }
            out.commit();
            System.out.printf("QONNX model %s of %s (%s): imports back as the same network (hash %s); run in double it agrees"
                    + " with the network on every class and all %d codes of %d %s test images (accuracy %s)%n", dir.resolve(qonnx),
                    file, net.describe(), net.hash().substring(0, 16), proof.activationsCompared(), proof.images(), data.name(),
                    Reports.pct(proof.networkAccuracy()));
        }
        return 0;
    }
}
