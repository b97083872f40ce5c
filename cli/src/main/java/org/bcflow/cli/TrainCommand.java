package org.bcflow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.data.Dataset;
import org.bcflow.trainer.FloatModel;
import org.bcflow.trainer.TrainArtifacts;
import org.bcflow.trainer.TrainConfig;
import org.bcflow.trainer.Trainer;

final class TrainCommand implements Command {
    private static final String CHECKPOINT = Outputs.CHECKPOINT;
    private static final String REPORT = Outputs.TRAIN_REPORT;
    private static final Opt<Path> OUT = Outputs.out("folder for the checkpoint, report, metrics, plots and .npy weights");
    /** Everything train writes into --out. */
    private static final List<String> OUTPUTS = List.of(CHECKPOINT, REPORT, TrainArtifacts.METRICS,
            TrainArtifacts.ERRORS_PLOT, TrainArtifacts.WEIGHTS_PLOT, TrainArtifacts.NPY_FOLDER);

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a BinaryConnect MLP or CNN; writes OUT/" + CHECKPOINT + " (checkpointed every epoch), " + REPORT + ", "
                + TrainArtifacts.METRICS + ", " + TrainArtifacts.ERRORS_PLOT + ", " + TrainArtifacts.WEIGHTS_PLOT + ", "
                + TrainArtifacts.NPY_FOLDER + "/";
    }

    @Override
    public List<Opt<?>> options() {
        List<Opt<?>> o = new ArrayList<>(List.of(InputOptions.DATA, OUT, Outputs.FORCE));
        o.addAll(TrainingOptions.ALL);
        o.add(InputOptions.HW_BITS);
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        TrainConfig cfg = TrainingOptions.config(line);
        int trainBits = cfg.method().activationBits();
        List<Integer> hwBits = InputOptions.HW_BITS.get(line,
                List.of(trainBits > 0 ? trainBits : InputOptions.DEFAULT_ACTIVATION_BITS));
        Stages stages = new Stages();
        Dataset data = stages.load(InputOptions.DATA.get(line));
        Trainer.architecture(cfg, data);  // refused before the output folder is touched
        try (OutputFolder out = Outputs.open(line, OUT.get(line), name(), OUTPUTS, Set.of())) {
            return train(line, cfg, hwBits, stages, data, out);
        }
    }

    private int train(CommandLine line, TrainConfig cfg, List<Integer> hwBits, Stages stages, Dataset data,
            OutputFolder out) throws ParseException {
        Path ckpt = Stages.checkpoint(out, TrainingOptions.RESUME.get(line), Outputs.FORCE.get(line));
        Stages.say("train", data.name() + ": " + data.train().count() + " training images, " + cfg + ", checkpoint " + ckpt);
        Trainer trainer = new Trainer().reportTo(out.staging());
        long t0 = System.nanoTime();
        FloatModel model = trainer.train(data, cfg, ckpt, true);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String mode = cfg.method().testMode().name().toLowerCase(Locale.ROOT)
                + (cfg.method().testMode() == TrainConfig.TestMode.ENSEMBLE ? " of " + cfg.method().ensembleSize() : "");
        double floatAcc = stages.floatAccuracy(model, data.test());

        Map<String, Double> hw = new TreeMap<>();
        StringBuilder hwText = new StringBuilder();
        if (model.binary()) {
            for (int k : hwBits) {
                double acc = stages.integerAccuracy(stages.export(model, k, data.name()), data.test());
                hw.put(Integer.toString(k), 1 - acc);
                hwText.append(String.format(Locale.ROOT, ", %d-bit hardware %s", k, Reports.pct(1 - acc)));
            }
        }
        TrainReport r = new TrainReport(data.name(), model.describe(), cfg.toString(),
                cfg.method().binarization().name().toLowerCase(Locale.ROOT), cfg.method().activationBits(), mode,
                trainer.allEpochs().size(), trainer.bestEpoch(), TrainReport.orNull(trainer.bestValidationError()),
                TrainReport.orNull(trainer.testErrorAtBest()), 1 - floatAcc, model.binary() ? "sign(W)"
                        + (model.activationBits() > 0 ? ", " + model.activationBits() + "-bit activations" : ", float activations")
                        : "real W (not exportable)", hw, seconds, trainer.lastImagesPerSecond());
        Reports.write(out, REPORT, r);
        Stages.keepCheckpoint(out, ckpt);
        out.commit();
        System.out.printf(Locale.ROOT, "trained %s on %s: best epoch %d of %d, test error there %s (%s weights);"
                        + " returned model %s test error %s%s; in %s%n", model.describe(), data.name(),
                trainer.bestEpoch(), trainer.allEpochs().size(), Reports.pct(trainer.testErrorAtBest()), mode,
                model.binary() ? "(sign(W))" : "(real W)", Reports.pct(1 - floatAcc), hwText, out.dir());
        return 0;
    }
}
