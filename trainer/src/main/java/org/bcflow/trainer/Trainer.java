package org.bcflow.trainer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bcflow.core.Architecture;
import org.bcflow.core.BcflowException;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.data.Dataset;
import org.bcflow.core.data.LabeledImages;

/**
 * Trains a BinaryConnect MLP (Courbariaux et al. 2015) on a data set, with the method options of
 * {@link TrainConfig.Method}.
 *
 * <ul>
 *   <li>Every epoch visits the training images in an order shuffled by
 *       {@code new Random(seed * 1000003 + epoch + 1)}, in ceil(n / batch) mini-batches; the last
 *       one is filled up from the start of the same order, so every batch is full.</li>
 *   <li>Epoch e (0-based) uses learning rate {@link TrainConfig#learningRate(int)}.</li>
 *   <li>With validation (see {@link TrainConfig#validation()}) the last 10,000 training images are
 *       held out and the model of the epoch with the lowest validation error (the earliest on a
 *       tie) is returned; otherwise the model after the last epoch. Validation and test errors
 *       are measured with the weights of the method's {@link TrainConfig.TestMode}.</li>
 *   <li>With a checkpoint file, the full training state is written atomically after every epoch
 *       (format in {@code Checkpoint}); {@code resume} continues from it and ends with the same
 *       model as an uninterrupted run. Resuming without a checkpoint file present starts afresh.</li>
 * </ul>
 *
 * Prints a progress bar per epoch (when enabled) and one summary line per epoch to the log. With
 * {@link #reportTo(Path)} it also writes, after every epoch, {@code metrics.csv} and
 * {@code errors.png}, and at the end {@code weights.png} and the returned model's {@code .npy}
 * files (see {@link TrainArtifacts}).
 * Not thread-safe; one Trainer per run.
 */
public final class Trainer {
    private final PrintStream log;
    private final boolean progressBar;
    private final List<EpochStats> history = new ArrayList<>();
    private final List<EpochStats> allEpochs = new ArrayList<>();
    private Path reportDir;
    private int bestEpoch;
    private double bestValidationError = Double.NaN;
    private int stopAfter = Integer.MAX_VALUE;

    /**
     * The figures of one finished epoch: training loss and error (of the training forward passes,
     * dropout included), validation and test error in the test mode (NaN when there is none).
     */
    public record EpochStats(int epoch, double loss, double trainError, double validationError, double testError,
                             double learningRate, double seconds, double imagesPerSecond) {
    }

    /** Progress bar and summary lines on standard error. */
    public Trainer() {
        this(System.err, true);
    }

    /**
     * @param log         where the summary lines go; null for none
     * @param progressBar whether to draw a progress bar (on standard error) during each epoch
     */
    public Trainer(PrintStream log, boolean progressBar) {
        this.log = log;
        this.progressBar = progressBar;
    }

    /**
     * For tests: end {@link #train} after this many epochs of the run (counted from epoch 1, as if
     * the process had been killed right after writing that epoch's checkpoint).
     */
    Trainer stopAfter(int epochs) {
        this.stopAfter = epochs;
        return this;
    }

    /** Writes the metrics CSV, plots and .npy weights into {@code dir} (see {@link TrainArtifacts}); null for none. */
    public Trainer reportTo(Path dir) {
        this.reportDir = dir;
        return this;
    }

    /** A trainer that prints nothing. */
    public static Trainer quiet() {
        return new Trainer(null, false);
    }

    /**
     * Trains on {@code data.train()} and returns the best model (see the class comment).
     *
     * @param checkpointFile where to write the checkpoint after every epoch; null for none
     * @param resume         continue from {@code checkpointFile} if it exists
     * @throws BcflowException if the checkpoint is corrupt or belongs to another run
     */
    public FloatModel train(Dataset data, TrainConfig cfg, Path checkpointFile, boolean resume) {
        LabeledImages all = cfg.trainLimit() > 0 ? data.train().first(cfg.trainLimit()) : data.train();
        boolean validate = cfg.validation() && all.count() >= TrainConfig.MIN_IMAGES_FOR_VALIDATION;
        int split = validate ? all.count() - TrainConfig.VALIDATION_IMAGES : all.count();
        LabeledImages train = validate ? all.slice(0, split) : all;
        LabeledImages val = validate ? all.slice(split, all.count()) : null;
        if (train.count() == 0) {
            throw new BcflowException("data set " + data.name() + " has no training images");
        }
        Architecture arch = architecture(cfg, data);
        TrainableNet net;
        Checkpoint.Run run;
        String described;
        if (arch.isMlp()) {
            int[] sizes = new int[arch.blocks().size() + 2];
            sizes[0] = all.pixelsPerImage();
            System.arraycopy(arch.hidden(), 0, sizes, 1, arch.blocks().size());
            sizes[sizes.length - 1] = all.classes();
            run = checkpointFile == null ? null : Checkpoint.Run.of(sizes, cfg, all);
            net = new BinaryMlp(sizes, cfg.batchSize(), cfg.method(), cfg.seed());
            described = describe(sizes);
        } else {
            ConvNet conv = new ConvNet(arch, all.shape(), cfg.batchSize(), cfg.method(), cfg.seed());
            run = checkpointFile == null ? null
                    : Checkpoint.Run.of(conv.layerDims(), Checkpoint.archText(all.shape(), arch), cfg, all);
            net = conv;
            described = all.shape() + "-" + arch;
        }
        net.initialise(cfg.seed());
        int start = 0;
        FloatModel best = null;
        history.clear();
        allEpochs.clear();
        LabeledImages test = data.test().count() > 0 ? data.test() : null;
        bestEpoch = 0;
        bestValidationError = Double.NaN;
        if (resume && checkpointFile != null && Files.exists(checkpointFile)) {
            Checkpoint.Progress p = Checkpoint.read(checkpointFile, run);
            net.setState(p.state(), p.adamSteps());
            start = p.epochsDone();
            best = p.best();
            bestEpoch = p.bestEpoch();
            bestValidationError = p.bestValidationError();
            allEpochs.addAll(p.history());
            say("resuming from %s after epoch %d of %d", checkpointFile, start, cfg.epochs());
        }
        say("training %s on %d %s images (%s), %s", described, train.count(), data.name(),
                validate ? val.count() + " held out for validation" : "no validation", cfg);

        int batch = cfg.batchSize();
        int n = train.count();
        int steps = (n + batch - 1) / batch;
        int[] indices = new int[batch];
        int[] labels = new int[batch];
        for (int epoch = start; epoch < Math.min(cfg.epochs(), stopAfter); epoch++) {
            double lr = cfg.learningRate(epoch);
            int[] order = shuffled(n, new Random(cfg.seed() * 1_000_003L + epoch + 1));
            int[] errors = {0};
            double lossSum = 0;
            long t0 = System.nanoTime();
            try (ProgressBar bar = progressBar ? bar(epoch, cfg.epochs(), (long) steps * batch) : null) {
                for (int s = 0; s < steps; s++) {
                    for (int r = 0; r < batch; r++) {
                        indices[r] = order[(int) (((long) s * batch + r) % n)];
                        labels[r] = train.label(indices[r]);
                    }
                    net.load(train, indices, batch);
                    lossSum += net.trainStep(labels, lr, errors);
                    if (bar != null) {
                        bar.stepBy(batch);
                        double elapsed = (System.nanoTime() - t0) / 1e9;
                        bar.setExtraMessage(String.format(Locale.ROOT, " %,.0f img/s, loss %.4f, err %.2f%%",
                                (s + 1.0) * batch / elapsed, lossSum / (s + 1), 100.0 * errors[0] / ((s + 1L) * batch)));
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            TrainConfig.Method m = cfg.method();
            double valError = validate ? errorRate(net, val, m.testMode(), m.ensembleSize()) : Double.NaN;
            double testError = test != null ? errorRate(net, test, m.testMode(), m.ensembleSize()) : Double.NaN;
            if (!validate || best == null || valError < bestValidationError) {
                best = net.toFloatModel();
                bestEpoch = epoch + 1;
                bestValidationError = valError;
            }
            EpochStats stats = new EpochStats(epoch + 1, lossSum / steps, (double) errors[0] / ((long) steps * batch),
                    valError, testError, lr, seconds, (double) steps * batch / seconds);
            history.add(stats);
            allEpochs.add(stats);
            if (checkpointFile != null) {
                Checkpoint.write(checkpointFile, run, new Checkpoint.Progress(epoch + 1, net.adamSteps(), net.state(),
                        best, bestEpoch, bestValidationError, allEpochs));
            }
            if (reportDir != null) {
                TrainArtifacts.writeMetrics(reportDir, allEpochs);
            }
            say("epoch %d/%d: loss %.4f, train err %.2f%%, val err %s, test err %s (%s weights), lr %.2e, %.1f s (%,.0f images/s)",
                    epoch + 1, cfg.epochs(), stats.loss(), 100 * stats.trainError(), pct(valError), pct(testError),
                    m.testMode().name().toLowerCase(Locale.ROOT), lr, seconds, stats.imagesPerSecond());
        }
        if (validate) {
            say("best validation error %.2f%% at epoch %d (test error %s there): returning that model",
                    100 * bestValidationError, bestEpoch, pct(testErrorAtBest()));
        }
        if (reportDir != null && best != null) {
            TrainArtifacts.writeMetrics(reportDir, allEpochs);
            TrainArtifacts.writeWeights(reportDir, best);
        }
        net.close();
        return best;
    }

    /**
     * The architecture a run of {@code cfg} trains on {@code data}: one that does not fit its images
     * or classes, or an image shift for an MLP, is a one-line BcflowException (callers check it before
     * writing anything).
     */
    public static Architecture architecture(TrainConfig cfg, Dataset data) {
        LabeledImages images = data.train();
        Architecture arch;
        try {
            arch = cfg.architecture(images.classes());
            arch.shapes(images.shape());
        } catch (IllegalArgumentException e) {
            throw new BcflowException("--arch " + cfg.arch() + " on " + data.name() + " (" + images.shape() + " images): "
                    + e.getMessage());
        }
        if (cfg.method().augmentShift() > 0 && arch.isMlp()) {
            throw new BcflowException("--augment-shift shifts images for a net with convolutions: give an --arch with conv layers");
        }
        return arch;
    }

    /** Every epoch of the run of the last {@link #train} call, those before a resume included. */
    public List<EpochStats> allEpochs() {
        return List.copyOf(allEpochs);
    }

    /** The test error (in the test mode) of the epoch whose model was returned; NaN if unknown. */
    public double testErrorAtBest() {
        return allEpochs.stream().filter(e -> e.epoch() == bestEpoch).mapToDouble(EpochStats::testError)
                .findFirst().orElse(Double.NaN);
    }

    /** The epochs this trainer ran in its last {@link #train} call (not those before a resume). */
    public List<EpochStats> history() {
        return List.copyOf(history);
    }

    /** Training images per second of the last epoch run (the training loop only, not validation), or NaN. */
    public double lastImagesPerSecond() {
        return history.isEmpty() ? Double.NaN : history.get(history.size() - 1).imagesPerSecond();
    }

    /** The 1-based epoch whose model the last {@link #train} call returned. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The validation error of the returned model; NaN without validation. */
    public double bestValidationError() {
        return bestValidationError;
    }

    /**
     * Classification error of the net (inference mode) with the weights of a test mode; the
     * ensemble averages the scores of {@code ensemble} sampled nets.
     */
    static double errorRate(TrainableNet net, LabeledImages images, TrainConfig.TestMode mode, int ensemble) {
        if (mode != TrainConfig.TestMode.ENSEMBLE) {
            net.useTestWeights(mode, 0);
            return errorRate(net, images);
        }
        int batch = net.batchSize();
        int[] indices = new int[batch];
        int classes = images.classes();
        float[] sum = new float[images.count() * classes];
        for (int s = 0; s < ensemble; s++) {
            net.useTestWeights(mode, s);
            for (int from = 0; from < images.count(); from += batch) {
                int count = Math.min(batch, images.count() - from);
                for (int r = 0; r < count; r++) {
                    indices[r] = from + r;
                }
                net.load(images, indices, count);
                net.forward(false);
                float[] scores = net.scores();
                for (int i = 0; i < count * classes; i++) {
                    sum[from * classes + i] += scores[i];
                }
            }
        }
        long wrong = 0;
        for (int i = 0; i < images.count(); i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                best = sum[i * classes + c] > sum[i * classes + best] ? c : best;
            }
            wrong += best != images.label(i) ? 1 : 0;
        }
        return (double) wrong / images.count();
    }

    /** Classification error of the net (inference mode, the weights it holds) on a set of images. */
    static double errorRate(TrainableNet net, LabeledImages images) {
        int batch = net.batchSize();
        int[] indices = new int[batch];
        int[] labels = new int[batch];
        long wrong = 0;
        for (int from = 0; from < images.count(); from += batch) {
            int count = Math.min(batch, images.count() - from);
            for (int r = 0; r < count; r++) {
                indices[r] = from + r;
                labels[r] = images.label(from + r);
            }
            net.load(images, indices, count);
            net.forward(false);
            wrong += net.errors(labels, count);
        }
        return (double) wrong / images.count();
    }

    static int[] shuffled(int n, Random rnd) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static ProgressBar bar(int epoch, int epochs, long images) {
        return new ProgressBarBuilder()
                .setTaskName("epoch " + (epoch + 1) + "/" + epochs)
                .setInitialMax(images)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" img", 1)
                .hideEta()
                .setUpdateIntervalMillis(250)
                .clearDisplayOnFinish()
                .build();
    }

    private static String describe(int[] sizes) {
        StringBuilder sb = new StringBuilder();
        for (int s : sizes) {
            sb.append(sb.length() == 0 ? "" : "-").append(s);
        }
        return sb.toString();
    }

    private static String pct(double error) {
        return Double.isNaN(error) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * error);
    }

    private void say(String format, Object... args) {
        if (log != null) {
            log.println(String.format(Locale.ROOT, format, args));
        }
    }
}
