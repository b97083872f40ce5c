package org.bcflow.cli;

import static org.bcflow.cli.Main.doubleValue;
import static org.bcflow.cli.Main.intValue;
import static org.bcflow.cli.Main.opt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.Network;
import org.bcflow.core.OutputFolder;
import org.bcflow.rtlgen.Folding;
import org.bcflow.synth.Device;
import org.bcflow.synth.DeviceFit;
import org.bcflow.synth.ResourceModel;
import org.bcflow.trainer.TrainConfig;

/** Options that several subcommands share, and how they are read. */
final class CommonOptions {
    static final String DEFAULT_OUT = "bcflow-out";
    static final int DEFAULT_ACTIVATION_BITS = 4;

    private CommonOptions() {
    }

    static void data(Options o) {
        o.addOption(opt("data", "SET", "data set: mnist, fashion-mnist, or a folder with the four IDX files (default mnist)"));
    }

    static String data(CommandLine line) {
        return line.getOptionValue("data", "mnist");
    }

    static void out(Options o, String what) {
        out(o, what, DEFAULT_OUT);
    }

    static void out(Options o, String what, String fallback) {
        o.addOption(opt("out", "DIR", what + " (default " + fallback + ")"));
        o.addOption(opt("force", null, "replace outputs in --out that bcflow did not write, or that another command wrote"
                + " (by default such files are never touched, and the run is refused)"));
    }

    static Path out(CommandLine line) {
        return out(line, DEFAULT_OUT);
    }

    static Path out(CommandLine line, String fallback) {
        return Path.of(line.getOptionValue("out", fallback));
    }

    /**
     * The command's output folder, opened for one transaction (see {@link OutputFolder}).
     *
     * @param names      what the command writes there (null: the whole folder is its output)
     * @param supersedes commands whose outputs there this command's outputs make stale
     */
    static OutputFolder open(CommandLine line, Path dir, String command, List<String> names, Set<String> supersedes) {
        return OutputFolder.open(dir, command, names, supersedes, line.hasOption("force"));
    }

    static void training(Options o) {
        TrainConfig d = TrainConfig.defaults();
        o.addOption(opt("hidden", "SIZES", "hidden layer sizes, comma-separated (default " + d.hiddenString().replace('-', ',') + ")"));
        o.addOption(opt("epochs", "N", "training epochs (default " + d.epochs() + ")"));
        o.addOption(opt("batch", "N", "mini-batch size (default " + d.batchSize() + ")"));
        o.addOption(opt("seed", "N", "random seed (default " + d.seed() + ")"));
        o.addOption(opt("lr-start", "X", "learning rate of the first epoch (default " + d.lrStart() + ")"));
        o.addOption(opt("lr-end", "X", "learning rate of the last epoch (default " + d.lrEnd() + ")"));
        o.addOption(opt("train-limit", "N", "use only the first N training images (default all)"));
        o.addOption(opt("resume", null, "continue an interrupted run from its checkpoint"));
        o.addOption(opt("binarization", "MODE", "det (sign(W), default), stoch (+1 with probability hard_sigmoid(W), per weight"
                + " per mini-batch) or none (real weights: the no-regularizer baseline, not exportable)"));
        o.addOption(opt("no-clip", null, "do not clip W to [-1, 1] after each update"));
        o.addOption(opt("loss", "NAME", "hinge (squared hinge with +-1 targets, default) or ce (softmax cross-entropy)"));
        o.addOption(opt("optimizer", "NAME", "adam (default) or nesterov (SGD, momentum 0.9)"));
        o.addOption(opt("no-glorot-lr", null, "do not scale W's learning rate per layer by 1/sqrt(1.5/(fan_in+fan_out))"));
        o.addOption(opt("dropout", "P", "drop hidden activations with probability P in training (default 0)"));
        o.addOption(opt("dropout-input", "P", "drop input pixels with probability P in training (default 0)"));
        o.addOption(opt("train-act-bits", "K", "quantize hidden activations to K bits in training too (straight-through"
                + " gradient), as the hardware does; 0 = float (default)"));
        o.addOption(opt("test-mode", "MODE", "weights for validation and test: binary (sign(W), default), real (W), or"
                + " ensemble (of --ensemble sampled nets; stoch only)"));
        o.addOption(opt("ensemble", "N", "sampled nets of the ensemble test mode (default 8)"));
        o.addOption(opt("no-validation", null, "train on all training images, keep the last epoch's model"));
    }

    static TrainConfig training(CommandLine line) throws ParseException {
        TrainConfig d = TrainConfig.defaults();
        int[] hidden = d.hidden();
        if (line.hasOption("hidden")) {
            String[] parts = line.getOptionValue("hidden").split(",");
            hidden = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    hidden[i] = Integer.parseInt(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new ParseException("--hidden takes sizes such as 256,256, got '" + line.getOptionValue("hidden") + "'");
                }
            }
        }
        TrainConfig.Binarization binarization = switch (line.getOptionValue("binarization", "det")) {
            case "det", "deterministic" -> TrainConfig.Binarization.DETERMINISTIC;
            case "stoch", "stochastic" -> TrainConfig.Binarization.STOCHASTIC;
            case "none" -> TrainConfig.Binarization.NONE;
            default -> throw new ParseException("--binarization takes det, stoch or none, got '"
                    + line.getOptionValue("binarization") + "'");
        };
        TrainConfig.Loss loss = switch (line.getOptionValue("loss", "hinge")) {
            case "hinge" -> TrainConfig.Loss.SQUARED_HINGE;
            case "ce" -> TrainConfig.Loss.CROSS_ENTROPY;
            default -> throw new ParseException("--loss takes hinge or ce, got '" + line.getOptionValue("loss") + "'");
        };
        TrainConfig.Optimizer optimizer = switch (line.getOptionValue("optimizer", "adam")) {
            case "adam" -> TrainConfig.Optimizer.ADAM;
            case "nesterov" -> TrainConfig.Optimizer.NESTEROV;
            default -> throw new ParseException("--optimizer takes adam or nesterov, got '" + line.getOptionValue("optimizer") + "'");
        };
        TrainConfig.TestMode testMode = switch (line.getOptionValue("test-mode",
                binarization == TrainConfig.Binarization.NONE ? "real" : "binary")) {
            case "binary" -> TrainConfig.TestMode.BINARY;
            case "real" -> TrainConfig.TestMode.REAL;
            case "ensemble" -> TrainConfig.TestMode.ENSEMBLE;
            default -> throw new ParseException("--test-mode takes binary, real or ensemble, got '"
                    + line.getOptionValue("test-mode") + "'");
        };
        if (binarization == TrainConfig.Binarization.NONE && testMode != TrainConfig.TestMode.REAL) {
            throw new ParseException("--binarization none has real weights only: --test-mode must be real");
        }
        int trainBits = intValue(line, "train-act-bits", 0, 0);
        try {
            TrainConfig.Method method = new TrainConfig.Method(binarization, !line.hasOption("no-clip"), loss, optimizer,
                    !line.hasOption("no-glorot-lr"), doubleValue(line, "dropout-input", 0), doubleValue(line, "dropout", 0),
                    trainBits, testMode, intValue(line, "ensemble", 8, 1));
            return new TrainConfig(hidden, intValue(line, "epochs", d.epochs(), 1), intValue(line, "batch", d.batchSize(), 2),
                    intValue(line, "seed", (int) d.seed(), 0), doubleValue(line, "lr-start", d.lrStart()),
                    doubleValue(line, "lr-end", d.lrEnd()), intValue(line, "train-limit", d.trainLimit(), 0),
                    d.validation() && !line.hasOption("no-validation"), method);
        } catch (IllegalArgumentException e) {
            throw new ParseException(e.getMessage());
        }
    }

    static void activation(Options o) {
        o.addOption(opt("act-bits", "K", "bits of the hidden activations in hardware, 1..16 (default " + DEFAULT_ACTIVATION_BITS + ")"));
    }

    static int activation(CommandLine line) throws ParseException {
        int k = intValue(line, "act-bits", DEFAULT_ACTIVATION_BITS, 1);
        if (k > 16) {
            throw new ParseException("--act-bits must be 1..16, got " + k);
        }
        return k;
    }

    static void folding(Options o) {
        o.addOption(opt("pe", "LIST", "output neurons in parallel per layer, comma-separated or one for all (default: automatic)"));
        o.addOption(opt("simd", "LIST", "inputs in parallel per layer, comma-separated or one for all (default: automatic)"));
        o.addOption(opt("pixels-per-beat", "N", "input values per s_axis beat (default 1)"));
        o.addOption(opt("target-cycles", "N", "automatic folding: the fewest lanes with every layer within N cycles per image"
                + " (default: the input stream's cycles per image)"));
        o.addOption(opt("target-rate", "IMAGES_PER_S", "automatic folding for a throughput at --clock-mhz: the fewest lanes"
                + " with every layer within clock / rate cycles per image"));
        o.addOption(opt("clock-mhz", "MHZ", "clock the --target-rate is meant for (default 50)"));
        o.addOption(opt("fit", "DEVICE", "automatic folding: the fastest whose resource estimate fits this iCE40 device"
                + " (hx8k, up5k, ...) within --fit-margin"));
        o.addOption(opt("fit-margin", "PCT", "logic cells to leave free with --fit, for the model's error (default 10)"));
        o.addOption(opt("top", "NAME", "name of the top module (default bcnet)"));
        o.addOption(opt("input-buffer", "WHERE", "where the first layer keeps the image: ram (block RAM, needs SIMD a multiple"
                + " of the pixels per beat), registers, or auto (default: ram from " + org.bcflow.rtlgen.InputBuffer.RAM_MIN_FOLDS
                + " input folds on)"));
        o.addOption(opt("batchnorm", "STYLE", "batch norm in hardware: thresholds (default: hidden layers of at most "
                + org.bcflow.core.Thresholds.MAX_BITS + " bits compare with 2^k-1 thresholds, no multiplier) or muladd"
                + " (every layer multiplies, adds and shifts: less ROM, a multiplier per lane)"));
        o.addOption(org.apache.commons.cli.Option.builder().longOpt("no-scores")
                .desc("no m_axis_tuser: only the class index leaves the design (fewer pins and registers)").build());
        o.addOption(org.apache.commons.cli.Option.builder().longOpt("embed-roms")
                .desc("put the ROM contents into the Verilog (bc_rom.v) instead of reading .mem files").build());
    }

    /** The RTL generator the folding options describe. */
    static org.bcflow.rtlgen.RtlGenerator generator(CommandLine line) throws ParseException {
        return new org.bcflow.rtlgen.RtlGenerator(top(line), pixelsPerBeat(line))
                .withInputBuffer(org.bcflow.rtlgen.InputBuffer.parse(line.getOptionValue("input-buffer", "auto")))
                .withScores(!line.hasOption("no-scores"))
                .withEmbeddedRoms(line.hasOption("embed-roms"))
                .withBatchNorm(org.bcflow.rtlgen.BatchNormStyle.parse(line.getOptionValue("batchnorm", "thresholds")));
    }

    private static double positive(CommandLine line, String name) throws ParseException {
        String v = line.getOptionValue(name);
        try {
            double d = Double.parseDouble(v);
            if (d > 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParseException("--" + name + " must be a positive number, got '" + v + "'");
    }

    private static double percent(CommandLine line, String name) throws ParseException {
        String v = line.getOptionValue(name);
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && d < 100) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParseException("--" + name + " must be a percentage from 0 to below 100, got '" + v + "'");
    }

    static int pixelsPerBeat(CommandLine line) throws ParseException {
        return intValue(line, "pixels-per-beat", 1, 1);
    }

    static String top(CommandLine line) {
        return line.getOptionValue("top", "bcnet");
    }

    /** The folding options' own errors (conflicts, unknown device), found before any work that needs the network. */
    static void checkFolding(CommandLine line) throws ParseException {
        if (line.hasOption("target-rate") && line.hasOption("target-cycles")) {
            throw new ParseException("--target-rate and --target-cycles both set a target: give one");
        }
        if (line.hasOption("fit")) {
            for (String other : List.of("target-rate", "target-cycles", "pe", "simd")) {
                if (line.hasOption(other)) {
                    throw new ParseException("--fit chooses the folding itself: leave out --" + other);
                }
            }
            Device.of(line.getOptionValue("fit"));
            fitMargin(line);
        }
        generator(line);
    }

    private static double fitMargin(CommandLine line) throws ParseException {
        return line.hasOption("fit-margin") ? percent(line, "fit-margin") : 10;
    }

    /** The --fit search for this network (said on the console), or null without --fit. */
    static DeviceFit.Result fit(CommandLine line, Network net) throws ParseException {
        checkFolding(line);
        if (line.hasOption("fit")) {
            double margin = fitMargin(line);
            Device device = Device.of(line.getOptionValue("fit"));
            var fit = DeviceFit.fastest(net, generator(line), pixelsPerBeat(line), device, margin / 100);
            Stages.say("fit", String.format(Locale.ROOT, "%s: folding %s, %,d cycles per image; model %,d of %,d logic cells"
                    + " (%.0f%% margin), %d of %d block RAMs (%d foldings estimated)", device.name(), fit.folding(),
                    fit.intervalCycles(), fit.estimate().logicCells(), device.logicCells(), margin,
                    fit.estimate().blockRams(), device.blockRams(), fit.evaluated()));
            if (fit.fasterRejected() != null) {
                var r = fit.fasterRejected();
                Stages.say("fit", String.format(Locale.ROOT, "the next faster folding, %s at %,d cycles per image, needs %,d"
                        + " logic cells and %d block RAMs", r.folding(), r.intervalCycles(), r.estimate().logicCells(),
                        r.estimate().blockRams()));
            }
            return fit;
        }
        return null;
    }

    /** The {@code fit} object of a report: the device, the margin, and what the search found. */
    static ObjectNode fitJson(CommandLine line, DeviceFit.Result fit)
            throws ParseException {
        var o = Reports.JSON.createObjectNode();
        o.put("device", Device.of(line.getOptionValue("fit")).name());
        o.put("margin_pct", fitMargin(line));
        o.put("folding", fit.folding().toString());
        o.put("interval_cycles", fit.intervalCycles());
        o.set("model", estimateJson(fit.estimate()));
        o.put("candidates_estimated", fit.evaluated());
        var next = o.putObject("next_faster");
        if (fit.fasterRejected() != null) {
            next.put("folding", fit.fasterRejected().folding().toString());
            next.put("interval_cycles", fit.fasterRejected().intervalCycles());
            next.set("model", estimateJson(fit.fasterRejected().estimate()));
        }
        return o;
    }

    private static ObjectNode estimateJson(ResourceModel.Estimate e) {
        return Reports.JSON.valueToTree(e); // the record as synth.json writes it
    }

    static Folding folding(CommandLine line, Network net) throws ParseException {
        var fit = fit(line, net);
        if (fit != null) {
            return fit.folding();
        }
        if (line.hasOption("target-rate")) {
            double rate = positive(line, "target-rate");
            double clock = line.hasOption("clock-mhz") ? positive(line, "clock-mhz") : 50;
            long cycles = (long) Math.floor(clock * 1e6 / rate);
            if (cycles < 1) {
                throw new ParseException("--target-rate " + rate + " images/s is more than one image per cycle at " + clock + " MHz");
            }
            return Folding.parse(net, line.getOptionValue("pe"), line.getOptionValue("simd"), cycles);
        }
        if (line.hasOption("target-cycles")) {
            return Folding.parse(net, line.getOptionValue("pe"), line.getOptionValue("simd"),
                    (long) Main.intValue(line, "target-cycles", 1, 1));
        }
        return Folding.parse(net, line.getOptionValue("pe"), line.getOptionValue("simd"), pixelsPerBeat(line));
    }

    static void verification(Options o) {
        o.addOption(opt("count", "N", "test images to simulate (default: the whole test set)"));
        o.addOption(opt("jobs", "N", "simulator processes to split the images over (default: the number of cores)"));
        o.addOption(opt("backpressure", "GAP,STALL", "also run with random input gaps and output stalls, per mille (e.g. 200,300)"));
        o.addOption(opt("bp-seed", "N", "seed of the backpressure pattern (default 1)"));
        o.addOption(opt("simulator", "NAME", "verilator (default) or icarus (slower; an independent second opinion)"));
        o.addOption(opt("timeout", "MIN", "limit for each simulator build and run, minutes (default 30)"));
    }

    static org.bcflow.sim.Verifier.Options verification(CommandLine line, int testImages) throws ParseException {
        int count = Main.intValue(line, "count", testImages, 1);
        if (count > testImages) {
            throw new ParseException("--count " + count + " is more than the " + testImages + " test images");
        }
        int jobs = Main.intValue(line, "jobs", Runtime.getRuntime().availableProcessors(), 1);
        var o = org.bcflow.sim.Verifier.Options.of(count).withJobs(jobs)
                .withSimulator(line.getOptionValue("simulator", "verilator"));
        if (line.hasOption("backpressure")) {
            String[] p = line.getOptionValue("backpressure").split(",");
            try {
                int gap = Integer.parseInt(p[0].trim());
                int stall = p.length > 1 ? Integer.parseInt(p[1].trim()) : gap;
                if (p.length > 2 || gap < 0 || gap > 999 || stall < 0 || stall > 999 || gap + stall == 0) {
                    throw new NumberFormatException();
                }
                o = o.withBackpressure(gap, stall, Main.intValue(line, "bp-seed", 1, 0));
            } catch (NumberFormatException e) {
                throw new ParseException("--backpressure takes GAP,STALL per mille in 0..999, e.g. 200,300; got '"
                        + line.getOptionValue("backpressure") + "'");
            }
        }
        return o;
    }
}
