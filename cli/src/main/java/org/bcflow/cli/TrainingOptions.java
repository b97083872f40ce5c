package org.bcflow.cli;

import static org.bcflow.cli.Parse.atLeast;
import static org.bcflow.cli.Parse.number;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.bcflow.trainer.TrainConfig;
import org.bcflow.trainer.TrainConfig.Binarization;
import org.bcflow.trainer.TrainConfig.Loss;
import org.bcflow.trainer.TrainConfig.Optimizer;
import org.bcflow.trainer.TrainConfig.TestMode;

/** The training options of train and flow; their defaults are {@link TrainConfig#defaults()}. */
final class TrainingOptions {
    private static final TrainConfig D = TrainConfig.defaults();

    static final Opt<List<Integer>> HIDDEN = new Opt<>("hidden", "SIZES", list(D.hidden()),
            D.hiddenString().replace('-', ','), Parse.wholeNumbers(1, Integer.MAX_VALUE, "256,256"), "hidden layer sizes");
    static final Opt<org.bcflow.core.Architecture> ARCH = Opt.of("arch", "SPEC", null, Parse.architecture(),
            "architecture in the paper's notation, e.g. 32C3-MP2-64C3-MP2-512FC-10 (NCk conv, NCkv valid conv,"
                    + " MPp max-pool, NFC dense, last the classes, Rx repeats); default the MLP of --hidden");
    static final Opt<Integer> EPOCHS = Opt.of("epochs", "N", D.epochs(), atLeast(1), "training epochs");
    static final Opt<Integer> BATCH = Opt.of("batch", "N", D.batchSize(), atLeast(2), "mini-batch size");
    static final Opt<Integer> SEED = Opt.of("seed", "N", (int) D.seed(), atLeast(0), "random seed");
    static final Opt<Double> LR_START = Opt.of("lr-start", "X", D.lrStart(), number(), "learning rate of the first epoch");
    static final Opt<Double> LR_END = Opt.of("lr-end", "X", D.lrEnd(), number(), "learning rate of the last epoch");
    static final Opt<Integer> TRAIN_LIMIT = new Opt<>("train-limit", "N", D.trainLimit(), "all", atLeast(0),
            "use only the first N training images");
    static final Opt<Boolean> RESUME = Opt.flag("resume", "continue an interrupted run from its checkpoint");
    static final Opt<Binarization> BINARIZATION = new Opt<>("binarization", "MODE", Binarization.DETERMINISTIC, "det",
            Parse.choice(ordered("det", Binarization.DETERMINISTIC,
                    "stoch", Binarization.STOCHASTIC, "none", Binarization.NONE), Map.of("deterministic",
                    Binarization.DETERMINISTIC, "stochastic", Binarization.STOCHASTIC)), "det (sign(W)), stoch (+1 with probability hard_sigmoid(W), per weight per"
                    + " mini-batch) or none (real weights: the no-regularizer baseline, not exportable)");
    static final Opt<Boolean> NO_CLIP = Opt.flag("no-clip", "do not clip W to [-1, 1] after each update");
    static final Opt<Loss> LOSS = new Opt<>("loss", "NAME", Loss.SQUARED_HINGE, "hinge",
            Parse.choice(ordered("hinge", Loss.SQUARED_HINGE, "ce", Loss.CROSS_ENTROPY)),
            "hinge (squared hinge with +-1 targets) or ce (softmax cross-entropy)");
    static final Opt<Optimizer> OPTIMIZER = new Opt<>("optimizer", "NAME", Optimizer.ADAM, "adam",
            Parse.choice(ordered("adam", Optimizer.ADAM, "nesterov", Optimizer.NESTEROV)),
            "adam or nesterov (SGD, momentum 0.9)");
    static final Opt<Boolean> NO_GLOROT_LR = Opt.flag("no-glorot-lr",
            "do not scale W's learning rate per layer by 1/sqrt(1.5/(fan_in+fan_out))");
    static final Opt<Double> DROPOUT = Opt.of("dropout", "P", 0.0, number(),
            "drop hidden activations with probability P in training");
    static final Opt<Double> DROPOUT_INPUT = Opt.of("dropout-input", "P", 0.0, number(),
            "drop input pixels with probability P in training");
    static final Opt<Integer> TRAIN_ACT_BITS = new Opt<>("train-act-bits", "K", 0, "0 = float",
            Parse.wholeNumber(0, org.bcflow.core.BitWidth.MAX),
            "quantize hidden activations to K bits in training too (straight-through gradient), as the hardware does");
    static final Opt<Integer> AUGMENT_SHIFT = new Opt<>("augment-shift", "N", 0, "0 = off", Parse.wholeNumber(0, 8),
            "shift each training image by up to N pixels each way, per step (conv nets: --arch)");
    static final Opt<TestMode> TEST_MODE = Opt.computed("test-mode", "MODE", "binary, or real with --binarization none",
            Parse.choice(ordered("binary", TestMode.BINARY, "real", TestMode.REAL, "ensemble", TestMode.ENSEMBLE)),
            "weights for validation and test: binary (sign(W)), real (W), or ensemble (of --ensemble sampled nets;"
                    + " stoch only)");
    static final Opt<Integer> ENSEMBLE = Opt.of("ensemble", "N", 8, atLeast(1), "sampled nets of the ensemble test mode");
    static final Opt<Boolean> NO_VALIDATION = Opt.flag("no-validation",
            "train on all training images, keep the last epoch's model");

    /** Everything {@link #config} reads. */
    static final List<Opt<?>> ALL = List.of(HIDDEN, ARCH, EPOCHS, BATCH, SEED, LR_START, LR_END, TRAIN_LIMIT, RESUME,
            BINARIZATION, NO_CLIP, LOSS, OPTIMIZER, NO_GLOROT_LR, DROPOUT, DROPOUT_INPUT, TRAIN_ACT_BITS, AUGMENT_SHIFT, TEST_MODE,
            ENSEMBLE, NO_VALIDATION);

    private TrainingOptions() {
    }

    static TrainConfig config(CommandLine line) throws ParseException {
        Binarization binarization = BINARIZATION.get(line);
        TestMode testMode = TEST_MODE.get(line, binarization == Binarization.NONE ? TestMode.REAL : TestMode.BINARY);
        if (binarization == Binarization.NONE && testMode != TestMode.REAL) {
            throw new ParseException("--binarization none has real weights only: --test-mode must be real");
        }
        int trainBits = TRAIN_ACT_BITS.get(line);
        try {
            TrainConfig.Method method = new TrainConfig.Method(binarization, !NO_CLIP.get(line), LOSS.get(line),
                    OPTIMIZER.get(line), !NO_GLOROT_LR.get(line), DROPOUT_INPUT.get(line), DROPOUT.get(line), trainBits,
                    testMode, ENSEMBLE.get(line), AUGMENT_SHIFT.get(line));
            if (AUGMENT_SHIFT.get(line) > 0 && !(ARCH.given(line) && !ARCH.get(line).isMlp())) {
                throw new ParseException("--augment-shift shifts images for a net with convolutions: give an --arch with conv layers");
            }
            if (ARCH.given(line) && HIDDEN.given(line)) {
                throw new ParseException("give --arch or --hidden, not both (--hidden 256,256 is --arch 256FC-256FC-10)");
            }
            int[] hidden = HIDDEN.get(line).stream().mapToInt(Integer::intValue).toArray();
            TrainConfig c = new TrainConfig(hidden, EPOCHS.get(line), BATCH.get(line), SEED.get(line), LR_START.get(line),
                    LR_END.get(line), TRAIN_LIMIT.get(line), D.validation() && !NO_VALIDATION.get(line), method, null);
            return ARCH.given(line) ? c.withArch(ARCH.get(line)) : c;
        } catch (IllegalArgumentException e) {
            throw new ParseException(e.getMessage());
        }
    }

    private static List<Integer> list(int[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }

    /** Names in the order the help and the errors list them. */
    @SuppressWarnings("unchecked")
    static <T> Map<String, T> ordered(Object... nameValue) {
        Map<String, T> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], (T) nameValue[i + 1]);
        }
        return m;
    }
}
