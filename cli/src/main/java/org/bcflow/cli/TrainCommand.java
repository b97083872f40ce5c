package org.bcflow.cli;

import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.bcflow.core.data.Dataset;
import org.bcflow.trainer.FloatModel;
import org.bcflow.trainer.TrainConfig;

final class TrainCommand implements Command {
    static final String CHECKPOINT = "model.ckpt";

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a BinaryConnect MLP; writes OUT/" + CHECKPOINT + " (the real-valued model, checkpointed every epoch)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        CommonOptions.data(o);
        CommonOptions.out(o, "folder for the checkpoint");
        CommonOptions.training(o);
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        TrainConfig cfg = CommonOptions.training(line);
        Stages stages = new Stages();
        Dataset data = stages.load(CommonOptions.data(line));
        Path ckpt = CommonOptions.out(line).resolve(CHECKPOINT);
        FloatModel model = stages.train(data, cfg, ckpt, line.hasOption("resume"));
        double acc = stages.floatAccuracy(model, data.test());
        System.out.printf("trained %s on %s: float binary-weight test accuracy %s; model in %s%n", cfg.hiddenString(),
                data.name(), Reports.pct(acc), ckpt);
        return 0;
    }
}
