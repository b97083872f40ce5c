package org.bcflow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.bcflow.core.HardwareSupport;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.data.Dataset;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.sim.VerifyReport;
import org.bcflow.trainer.FloatModel;
import org.bcflow.trainer.TrainConfig;

final class FlowCommand implements Command {
    private static final String RTL = Outputs.RTL;
    private static final String REPORT = Outputs.FLOW_REPORT;
    private static final Opt<Path> OUT = Outputs.out("folder for everything the flow makes");
    /** Everything flow writes into --out. */
    private static final List<String> OUTPUTS = List.of(Outputs.CHECKPOINT, Outputs.NETWORK, RTL, REPORT, ImportCommand.REPORT);

    @Override
    public String name() {
        return "flow";
    }

    @Override
    public String summary() {
        return "train, export, generate RTL and verify it in Verilator, in a row; writes OUT/report.json";
    }

    @Override
    public List<Opt<?>> options() {
        List<Opt<?>> o = new ArrayList<>(List.of(Presets.PRESET, QonnxOptions.IMPORT, InputOptions.MODEL, InputOptions.DATA, OUT, Outputs.FORCE));
        o.addAll(TrainingOptions.ALL);
        o.add(InputOptions.ACT_BITS);
        o.addAll(FoldingOptions.ALL);
        o.addAll(VerifyOptions.ALL);
        o.add(VerifyOptions.PLANT_FAULT);
        o.add(SynthOptions.SYNTH);
        o.addAll(SynthOptions.ALL);
        o.add(AsicOptions.ASIC);
        o.addAll(AsicOptions.ALL);
        return o;
    }

    @Override
    public String[] arguments(String[] given) throws org.apache.commons.cli.ParseException {
        return Presets.expand(given);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        if (QonnxOptions.IMPORT.given(line)) {
            return runImported(line, QonnxOptions.IMPORT.get(line));
        }
        if (InputOptions.MODEL.given(line)) {
            return runTrained(line, InputOptions.MODEL.get(line));
        }
        TrainConfig cfg = TrainingOptions.config(line);
        if (!cfg.method().binary()) {
            throw new org.apache.commons.cli.ParseException("flow needs binary weights: --binarization none trains a real-valued"
                    + " baseline, which has no hardware (use bcflow train for it)");
        }
        if (cfg.arch() != null) {  // before hours of training, not after them
            HardwareSupport.requireGeneratable(cfg.arch());
        }
        int bits = InputOptions.ACT_BITS.get(line);
        var synthOptions = toolsFirst(line);
        Stages stages = new Stages();
        Dataset data = stages.load(InputOptions.DATA.get(line));
        Checks checks = new Checks(VerifyOptions.verification(line, data.test().count()), VerifyOptions.TIMEOUT.get(line),
                synthOptions, asicFirst(line));  // bad verification options are refused before training, not after it
        // one transaction: a failed or killed flow leaves the old outputs as they were
        try (OutputFolder out = Outputs.open(line, OUT.get(line), name(), OUTPUTS,
                Outputs.STALE_WITH_THE_DESIGN)) {
            Path ckpt = Stages.checkpoint(out, TrainingOptions.RESUME.get(line), Outputs.FORCE.get(line));
            FloatModel model = stages.train(data, cfg, ckpt, true);
            return exported(line, out, stages, model, bits, data, checks, ckpt);
        }
    }

    /** flow --model: a model train made, in place of training; exported, then the hardware as after training. */
    private int runTrained(CommandLine line, Path file) throws Exception {
        refuseTraining(line, "--model is a trained model");
        if (Presets.PRESET.given(line)) {
            throw new org.apache.commons.cli.ParseException("--model is a trained model: --preset does not apply");
        }
        int bits = InputOptions.ACT_BITS.get(line);
        var synthOptions = toolsFirst(line);
        FloatModel model = org.bcflow.trainer.Checkpoint.readModel(file);
        Stages stages = new Stages();
        Dataset data = stages.load(InputOptions.DATA.get(line));
        Checks checks = new Checks(VerifyOptions.verification(line, data.test().count()), VerifyOptions.TIMEOUT.get(line),
                synthOptions, asicFirst(line));
        try (OutputFolder out = Outputs.open(line, OUT.get(line), name(), OUTPUTS, Outputs.STALE_WITH_THE_DESIGN)) {
            return exported(line, out, stages, model, bits, data, checks, file);
        }
    }

    /** Export of a trained model, then the hardware; {@code ckpt}: the model's checkpoint, kept among the outputs. */
    private int exported(CommandLine line, OutputFolder out, Stages stages, FloatModel model, int bits, Dataset data, Checks checks,
            Path ckpt) throws Exception {
        Network net = stages.export(model, bits, data.name());
        HardwareSupport.requireGeneratable(net, null);  // the outputs are one transaction: refused here, none is published
        NetworkFile.write(net, out.stage(Outputs.NETWORK));
        Stages.keepCheckpoint(out, ckpt);
        double floatAcc = stages.floatAccuracy(model, data.test());
        double intAcc = stages.integerAccuracy(net, data.test());
        Stages.say("export", net.describe() + ": float accuracy " + Reports.pct(floatAcc) + ", integer " + Reports.pct(intAcc));
        StringBuilder head = new StringBuilder();
        Reports.row(head, "network", net.describe());
        Reports.row(head, "float accuracy", Reports.pct(floatAcc));
        Reports.row(head, "integer accuracy", Reports.pct(intAcc));
        return hardware(line, out, stages, net, data, checks, new FlowReport.Accuracy(floatAcc, intAcc), null, head);
    }

    /** flow --import: the model's network in place of training, checked against the model before the hardware. */
    private int runImported(CommandLine line, Path file) throws Exception {
        refuseTraining(line, "--import takes the trained model from the file");
        if (InputOptions.MODEL.given(line)) {
            throw new org.apache.commons.cli.ParseException("give --import or --model, not both");
        }
        if (InputOptions.ACT_BITS.given(line) || Presets.PRESET.given(line)) {
            throw new org.apache.commons.cli.ParseException("--import takes the network from the file: --"
                    + (Presets.PRESET.given(line) ? Presets.PRESET.name() : InputOptions.ACT_BITS.name()) + " does not apply");
        }
        var synthOptions = toolsFirst(line);
        Stages stages = new Stages();
        var imported = stages.importModel(file);
        Network net = imported.network();
        HardwareSupport.requireGeneratable(net, file.toString());
        Dataset data = stages.load(InputOptions.DATA.get(line));
        Checks checks = new Checks(VerifyOptions.verification(line, data.test().count()), VerifyOptions.TIMEOUT.get(line),
                synthOptions, asicFirst(line));
        ImportReport check = stages.checkImport(file, imported, data.test());
        if (check.failure() != null) {
            System.err.println("bcflow flow: " + check.failure());
            return 1;
        }
        try (OutputFolder out = Outputs.open(line, OUT.get(line), name(), OUTPUTS, Outputs.STALE_WITH_THE_DESIGN)) {
            NetworkFile.write(net, out.stage(Outputs.NETWORK));
            Reports.write(out, ImportCommand.REPORT, check);
            StringBuilder head = new StringBuilder();
            Reports.row(head, "imported", file + ": " + net.describe());
            Reports.row(head, "model accuracy", Reports.pct(check.modelAccuracy()) + " (the QONNX model run in double)");
            Reports.row(head, "integer accuracy", Reports.pct(check.networkAccuracy()) + " (all " + check.activationsCompared()
                    + " quantized values agree with the model)");
            return hardware(line, out, stages, net, data, checks,
                    new FlowReport.Accuracy(check.modelAccuracy(), check.networkAccuracy()), check, head);
        }
    }

    /** Refuses training options where the model comes ready-made: "{why}: --epochs (training) does not apply". */
    private static void refuseTraining(CommandLine line, String why) throws org.apache.commons.cli.ParseException {
        for (Opt<?> o : TrainingOptions.ALL) {
            if (o.given(line)) {
                throw new org.apache.commons.cli.ParseException(why + ": --" + o.name() + " (training) does not apply");
            }
        }
    }

    /** Verilator, and with --synth Yosys and nextpnr: a missing tool is reported before hours of training, not after them. */
    private static org.bcflow.synth.Synthesizer.Options toolsFirst(CommandLine line) throws Exception {
        org.bcflow.sim.Verilator.locate();
        FoldingOptions.check(line);
        var synthOptions = SynthOptions.SYNTH.get(line) ? SynthOptions.options(line) : null;
        if (synthOptions != null) {
            var synthesizer = new org.bcflow.synth.Synthesizer();
            synthesizer.yosys();
            if (synthOptions.placeAndRoute()) {
                synthesizer.nextpnr();
            }
        }
        return synthOptions;
    }

    /**
     * How the design is checked: verification's options and timeout (minutes), synthesis's options
     * (null: none), the ASIC flow's (null: none).
     */
    private record Checks(org.bcflow.sim.Verifier.Options verify, int timeout, org.bcflow.synth.Synthesizer.Options synth,
            AsicOptions.Settings asic) {
    }

    /** With --asic: its settings, its tools checked before training; else null. */
    private static AsicOptions.Settings asicFirst(CommandLine line) throws Exception {
        return AsicOptions.ASIC.get(line) ? AsicOptions.settings(line) : null;
    }

    /** The hardware half of either flow: fold, generate, verify, synthesize, report, commit; the exit code. */
    private int hardware(CommandLine line, OutputFolder out, Stages stages, Network net, Dataset data, Checks checks,
            FlowReport.Accuracy accuracy, ImportReport imported, StringBuilder head) throws Exception {
        var fit = FoldingOptions.fit(line, net);
        Folding folding = fit != null ? fit.folding() : FoldingOptions.folding(line, net);
        Path rtl = out.stage(RTL);
        Design design = stages.rtl(FoldingOptions.generator(line), net, folding, rtl);
        Stages.say("rtl", "folding " + folding + ", predicted " + design.intervalCycles() + " cycles per image");
        if (VerifyOptions.PLANT_FAULT.get(line)) {
            org.bcflow.sim.PlantedFaults.SHIFT_ONE_TOO_LARGE.plant(net, design, rtl);
            Stages.say("rtl", "--plant-fault: every layer's shift made one too large; the verification must now fail");
        }
        VerifyReport r = stages.verify(rtl, data.test(), checks.verify(), checks.timeout());
        org.bcflow.synth.SynthReport synth = null;
        if (checks.synth() != null) {
            synth = stages.synth(rtl, rtl.resolve(Outputs.SYNTH), checks.synth(), out);
        }
        AsicReport asic = null;
        if (checks.asic() != null) {
            Path dir = rtl.resolve(Outputs.ASIC);
            asic = stages.asic(rtl, dir, checks.asic(), data.test(), out);
            Reports.write(dir.resolve(org.bcflow.synth.asic.AsicResult.FILE), asic.document());
        }
        FlowReport report = new FlowReport(data.name(), data.test().count(), net.describe(), net.hash(), accuracy, r,
                Reports.DesignSummary.of(design, net), fit == null ? null : FoldingOptions.search(line).report(fit),
                synth == null ? null : synth.document(), asic == null ? null : asic.document(),
                Reports.timingJson(stages.seconds), imported);
        Reports.write(out, REPORT, report);
        out.commit();

        StringBuilder sb = new StringBuilder();
        Reports.row(sb, "dataset", data.name() + " (" + data.test().count() + " test images)");
        sb.append(head);
        sb.append(Tables.design(design, net));
        sb.append(Reports.verifyTable(r));
        if (synth != null) {
            sb.append(synth.table());
        }
        if (asic != null) {
            sb.append(asic.table());
        }
        StringBuilder t = new StringBuilder();
        stages.seconds.forEach((k, v) -> t.append(String.format("%s %.1f s, ", k, v)));
        Reports.row(sb, "stage times", t.substring(0, Math.max(0, t.length() - 2)));
        System.out.print(out.published(sb.toString()));
        System.out.println("report: " + out.dir().resolve(REPORT));
        return r.passed() && (asic == null || asic.gateLevel().passed()) ? 0 : 1;
    }
}
