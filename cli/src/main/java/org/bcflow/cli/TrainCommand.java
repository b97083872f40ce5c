package org.bcflow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.data.Dataset;
import org.bcflow.trainer.FloatModel;
import org.bcflow.trainer.TrainArtifacts;
import org.bcflow.trainer.TrainConfig;
import org.bcflow.trainer.Trainer;

final class TrainCommand implements Command {
    static final String CHECKPOINT = "model.ckpt";
    static final String REPORT = "train.json";
    /** Everything train writes into --out. */
    private static final List<String> OUTPUTS = List.of(CHECKPOINT, REPORT, TrainArtifacts.METRICS,
            TrainArtifacts.ERRORS_PLOT, TrainArtifacts.WEIGHTS_PLOT, TrainArtifacts.NPY_FOLDER);

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a BinaryConnect MLP; writes OUT/" + CHECKPOINT + " (checkpointed every epoch), " + REPORT + ", "
                + TrainArtifacts.METRICS + ", " + TrainArtifacts.ERRORS_PLOT + ", " + TrainArtifacts.WEIGHTS_PLOT + ", "
                + TrainArtifacts.NPY_FOLDER + "/";
    }

    @Override
    public Options options() {
        Options o = new Options();
        CommonOptions.data(o);
        CommonOptions.out(o, "folder for the checkpoint, report, metrics, plots and .npy weights");
        CommonOptions.training(o);
        o.addOption(Main.opt("hw-bits", "LIST", "activation widths whose hardware-exact (integer network) test accuracy"
                + " is reported, comma-separated (default: --train-act-bits if set, else 4)"));
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        TrainConfig cfg = CommonOptions.training(line);
        List<Integer> hwBits = hwBits(line, cfg);
        Stages stages = new Stages();
        Dataset data = stages.load(CommonOptions.data(line));
        try (OutputFolder out = CommonOptions.open(line, CommonOptions.out(line), name(), OUTPUTS, Set.of())) {
            return train(line, cfg, hwBits, stages, data, out);
        }
    }

    private int train(CommandLine line, TrainConfig cfg, List<Integer> hwBits, Stages stages, Dataset data,
            OutputFolder out) {
        Path ckpt = Stages.checkpoint(out, line.hasOption("resume"), line.hasOption("force"));
        Stages.say("train", data.name() + ": " + data.train().count() + " training images, " + cfg + ", checkpoint " + ckpt);
        Trainer trainer = new Trainer().reportTo(out.staging());
        long t0 = System.nanoTime();
        FloatModel model = trainer.train(data, cfg, ckpt, true);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String mode = cfg.method().testMode().name().toLowerCase(Locale.ROOT)
                + (cfg.method().testMode() == TrainConfig.TestMode.ENSEMBLE ? " of " + cfg.method().ensembleSize() : "");
        double floatAcc = stages.floatAccuracy(model, data.test());

        ObjectNode r = Reports.JSON.createObjectNode();
        r.put("dataset", data.name());
        r.put("network", model.describe());
        r.put("config", cfg.toString());
        r.put("binarization", cfg.method().binarization().name().toLowerCase(Locale.ROOT));
        r.put("train_activation_bits", cfg.method().activationBits());
        r.put("test_mode", mode);
        r.put("epochs", trainer.allEpochs().size());
        r.put("best_epoch", trainer.bestEpoch());
        putError(r, "best_validation_error", trainer.bestValidationError());
        putError(r, "test_error_at_best_epoch", trainer.testErrorAtBest());
        r.put("float_model_test_error", 1 - floatAcc);
        r.put("float_model", model.binary() ? "sign(W)" + (model.activationBits() > 0
                ? ", " + model.activationBits() + "-bit activations" : ", float activations") : "real W (not exportable)");
        ObjectNode hw = r.putObject("hardware_exact_test_error");
        StringBuilder hwText = new StringBuilder();
        if (model.binary()) {
            for (int k : hwBits) {
                double acc = stages.integerAccuracy(stages.export(model, k, data.name()), data.test());
                hw.put(Integer.toString(k), 1 - acc);
                hwText.append(String.format(Locale.ROOT, ", %d-bit hardware %s", k, Reports.pct(1 - acc)));
            }
        }
        r.put("train_seconds", seconds);
        r.put("last_epoch_images_per_second", trainer.lastImagesPerSecond());
        Reports.write(out.stage(REPORT), r);
        Stages.keepCheckpoint(out, ckpt);
        out.commit();
        System.out.printf(Locale.ROOT, "trained %s on %s: best epoch %d of %d, test error there %s (%s weights);"
                        + " returned model %s test error %s%s; in %s%n", model.describe(), data.name(),
                trainer.bestEpoch(), trainer.allEpochs().size(), Reports.pct(trainer.testErrorAtBest()), mode,
                model.binary() ? "(sign(W))" : "(real W)", Reports.pct(1 - floatAcc), hwText, out.dir());
        return 0;
    }

    private static void putError(ObjectNode r, String key, double v) {
        if (Double.isNaN(v)) {
            r.putNull(key);
        } else {
            r.put(key, v);
        }
    }

    private static List<Integer> hwBits(CommandLine line, TrainConfig cfg) throws ParseException {
        List<Integer> bits = new ArrayList<>();
        String v = line.getOptionValue("hw-bits");
        if (v == null) {
            bits.add(cfg.method().activationBits() > 0 ? cfg.method().activationBits() : CommonOptions.DEFAULT_ACTIVATION_BITS);
            return bits;
        }
        for (String p : v.split(",")) {
            try {
                int k = Integer.parseInt(p.trim());
                if (k < 1 || k > 16) {
                    throw new ParseException("--hw-bits values must be 1..16, got " + k);
                }
                bits.add(k);
            } catch (NumberFormatException e) {
                throw new ParseException("--hw-bits takes widths such as 2,4,8, got '" + v + "'");
            }
        }
        return bits;
    }
}
