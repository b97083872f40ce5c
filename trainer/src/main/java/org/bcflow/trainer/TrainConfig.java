package org.bcflow.trainer;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.bcflow.core.Architecture;
import org.bcflow.core.BitWidth;

/**
 * The options of one training run. Immutable; change it with the {@code with...} methods.
 *
 * @param hidden     sizes of the hidden layers (the input and output sizes come from the data)
 * @param epochs     passes over the training set
 * @param batchSize  images per mini-batch
 * @param seed       seeds the weight initialisation and the per-epoch shuffles
 * @param lrStart    Adam learning rate of the first epoch
 * @param lrEnd      learning rate of the last epoch; epoch e (0-based) of E uses
 *                   {@code lrStart * (lrEnd / lrStart)^(e / (E - 1))}
 * @param trainLimit use only the first {@code trainLimit} training images; 0 = all
 * @param validation hold out the last 10,000 training images as validation set and return the
 *                   model of the best validation epoch; applies only when at least 20,000
 *                   training images are used, otherwise the model of the last epoch is returned
 * @param method     the BinaryConnect method options (binarization, loss, optimizer, ...)
 * @param arch       the architecture with convolutions and pooling, or null for the MLP of
 *                   {@code hidden} (then the class count comes from the data)
 */
public record TrainConfig(int[] hidden, int epochs, int batchSize, long seed, double lrStart, double lrEnd,
                          int trainLimit, boolean validation, Method method, Architecture arch) {

    /** How W becomes the weights of the forward and backward pass. */
    public enum Binarization {
        /** Wb = sign(W), sign(0) = +1. */
        DETERMINISTIC,
        /** Wb = +1 with probability hard_sigmoid(W) = clip((W + 1) / 2, 0, 1), else -1; sampled per weight per mini-batch. */
        STOCHASTIC,
        /** The real W itself: the paper's "no regularizer" baseline; not exportable to hardware. */
        NONE
    }

    /** The training loss on the output layer's batch-normalised scores. */
    public enum Loss {
        /** mean over batch and classes of max(0, 1 - t y)^2 with t = +1 for the label, -1 otherwise. */
        SQUARED_HINGE,
        /** softmax cross-entropy, averaged over the batch. */
        CROSS_ENTROPY
    }

    /** The update rule. */
    public enum Optimizer {
        /** Adam (b1 0.9, b2 0.999, eps 1e-8) as in the paper's code. */
        ADAM,
        /** SGD with Nesterov momentum 0.9 (Lasagne's formulation). */
        NESTEROV
    }

    /** Which weights evaluate the validation and test sets (and so select the best epoch). */
    public enum TestMode {
        /** sign(W): what the hardware computes. */
        BINARY,
        /** the real-valued W (the paper's test for stochastic nets; the only mode of a NONE net). */
        REAL,
        /** the average of the scores of N binary nets sampled as in training (stochastic nets only). */
        ENSEMBLE
    }

    /**
     * The BinaryConnect method. Batch normalisation is always on (mini-batch statistics in
     * training, running averages at inference): the integer export folds it.
     *
     * @param binarization   deterministic, stochastic, or none (real-valued baseline)
     * @param clip           clip W to [-1, 1] after every update (binary nets only)
     * @param loss           squared hinge (paper) or cross-entropy
     * @param optimizer      Adam (paper) or Nesterov SGD
     * @param glorotLrScale  scale W's learning rate per layer by 1/sqrt(1.5 / (fanIn + fanOut)) (binary nets only)
     * @param dropoutInput   probability of dropping an input pixel in training (0 = off)
     * @param dropoutHidden  probability of dropping a hidden activation in training (0 = off)
     * @param activationBits k > 0: hidden activations quantized to round(clip(y, 0, 1) (2^k - 1)) / (2^k - 1)
     *                       in training and inference, gradient straight through inside (0, 1); 0 = float
     * @param testMode       weights used for validation and test; forced to REAL when binarization is NONE
     * @param ensembleSize   sampled nets of the ENSEMBLE test mode
     */
    public record Method(Binarization binarization, boolean clip, Loss loss, Optimizer optimizer, boolean glorotLrScale,
                         double dropoutInput, double dropoutHidden, int activationBits, TestMode testMode,
                         int ensembleSize, int augmentShift) {

        /** The method without data augmentation. */
        public Method(Binarization binarization, boolean clip, Loss loss, Optimizer optimizer, boolean glorotLrScale,
                      double dropoutInput, double dropoutHidden, int activationBits, TestMode testMode, int ensembleSize) {
            this(binarization, clip, loss, optimizer, glorotLrScale, dropoutInput, dropoutHidden, activationBits, testMode,
                    ensembleSize, 0);
        }

        public Method {
            java.util.Objects.requireNonNull(binarization, "binarization");
            java.util.Objects.requireNonNull(loss, "loss");
            java.util.Objects.requireNonNull(optimizer, "optimizer");
            java.util.Objects.requireNonNull(testMode, "testMode");
            if (!(dropoutInput >= 0 && dropoutInput < 1) || !(dropoutHidden >= 0 && dropoutHidden < 1)) {
                throw new IllegalArgumentException("dropout probabilities must be in [0, 1), got " + dropoutInput
                        + " and " + dropoutHidden);
            }
            if (activationBits != 0 && !BitWidth.valid(activationBits)) {
                throw new IllegalArgumentException("training activation bits must be 0 (float) or " + BitWidth.range()
                        + ", got " + activationBits);
            }
            if (binarization == Binarization.NONE) {
                testMode = TestMode.REAL;
            }
            if (testMode == TestMode.ENSEMBLE && binarization != Binarization.STOCHASTIC) {
                throw new IllegalArgumentException("the ensemble test mode needs stochastic binarization");
            }
            if (testMode == TestMode.ENSEMBLE && ensembleSize < 1) {
                throw new IllegalArgumentException("the ensemble needs at least 1 sampled net, got " + ensembleSize);
            }
            if (ensembleSize < 0) {
                throw new IllegalArgumentException("ensemble size must be >= 0, got " + ensembleSize);
            }
            if (augmentShift < 0 || augmentShift > 8) {
                throw new IllegalArgumentException("the augmentation shift must be 0..8 pixels, got " + augmentShift);
            }
        }

        /** The paper's method: deterministic, clipped, squared hinge, Adam, Glorot scale, no dropout, float activations, binary test. */
        public static Method defaults() {
            return new Method(Binarization.DETERMINISTIC, true, Loss.SQUARED_HINGE, Optimizer.ADAM, true, 0, 0, 0,
                    TestMode.BINARY, 0);
        }

        /** Whether the net's weights are +-1 in the forward pass (and so exportable). */
        public boolean binary() {
            return binarization != Binarization.NONE;
        }

        public Method withBinarization(Binarization b) {
            return new Method(b, clip, loss, optimizer, glorotLrScale, dropoutInput, dropoutHidden, activationBits,
                    b == Binarization.DETERMINISTIC && testMode == TestMode.ENSEMBLE ? TestMode.BINARY : testMode, ensembleSize, augmentShift);
        }

        public Method withClip(boolean on) {
            return new Method(binarization, on, loss, optimizer, glorotLrScale, dropoutInput, dropoutHidden, activationBits,
                    testMode, ensembleSize, augmentShift);
        }

        public Method withLoss(Loss l) {
            return new Method(binarization, clip, l, optimizer, glorotLrScale, dropoutInput, dropoutHidden, activationBits,
                    testMode, ensembleSize, augmentShift);
        }

        public Method withOptimizer(Optimizer o) {
            return new Method(binarization, clip, loss, o, glorotLrScale, dropoutInput, dropoutHidden, activationBits,
                    testMode, ensembleSize, augmentShift);
        }

        public Method withGlorotLrScale(boolean on) {
            return new Method(binarization, clip, loss, optimizer, on, dropoutInput, dropoutHidden, activationBits,
                    testMode, ensembleSize, augmentShift);
        }

        public Method withDropout(double input, double hidden) {
            return new Method(binarization, clip, loss, optimizer, glorotLrScale, input, hidden, activationBits,
                    testMode, ensembleSize, augmentShift);
        }

        public Method withActivationBits(int k) {
            return new Method(binarization, clip, loss, optimizer, glorotLrScale, dropoutInput, dropoutHidden, k,
                    testMode, ensembleSize, augmentShift);
        }

        /** Training images shifted by up to {@code pixels} in each direction (conv nets; 0 = off). */
        public Method withAugmentShift(int pixels) {
            return new Method(binarization, clip, loss, optimizer, glorotLrScale, dropoutInput, dropoutHidden,
                    activationBits, testMode, ensembleSize, pixels);
        }

        public Method withTestMode(TestMode m, int ensemble) {
            return new Method(binarization, clip, loss, optimizer, glorotLrScale, dropoutInput, dropoutHidden,
                    activationBits, m, ensemble, augmentShift);
        }

        /**
         * Every field by name and value, for checkpoints: a resumed run must have the same method.
         * Unlike {@link #toString()}, which is for people, this text never changes its form; a new
         * field appends to it (and bumps the checkpoint version).
         */
        public String key() {
            return String.format(Locale.ROOT, "binarization=%s;clip=%b;loss=%s;optimizer=%s;glorot_lr_scale=%b;"
                            + "dropout_input=%s;dropout_hidden=%s;activation_bits=%d;test_mode=%s;ensemble=%d",
                    binarization, clip, loss, optimizer, glorotLrScale, Double.toString(dropoutInput),
                    Double.toString(dropoutHidden), activationBits, testMode, ensembleSize)
                    + (augmentShift > 0 ? ";augment_shift=" + augmentShift : "");   // absent when off: older checkpoints still match
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "binarization %s, clip %s, loss %s, optimizer %s, glorot lr scale %s, dropout %s/%s, train activation bits %s, test mode %s%s",
                    binarization.name().toLowerCase(Locale.ROOT), clip && binary() ? "on" : "off",
                    loss.name().toLowerCase(Locale.ROOT), optimizer.name().toLowerCase(Locale.ROOT),
                    glorotLrScale && binary() ? "on" : "off", dropoutInput, dropoutHidden,
                    activationBits == 0 ? "float" : Integer.toString(activationBits), testMode.name().toLowerCase(Locale.ROOT),
                    testMode == TestMode.ENSEMBLE ? " of " + ensembleSize : "")
                    + (augmentShift > 0 ? ", images shifted by up to " + augmentShift + " pixels" : "");
        }
    }

    /** Images held out for validation. */
    public static final int VALIDATION_IMAGES = 10_000;
    /** Validation is used only with at least this many training images. */
    public static final int MIN_IMAGES_FOR_VALIDATION = 20_000;

    public TrainConfig {
        java.util.Objects.requireNonNull(method, "method");
        hidden = hidden.clone();
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer sizes must be positive, got " + h);
            }
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batch size must be at least 2 (batch norm), got " + batchSize);
        }
        if (!(lrStart > 0) || !(lrEnd > 0) || Double.isInfinite(lrStart) || Double.isInfinite(lrEnd)) {
            throw new IllegalArgumentException("learning rates must be positive, got " + lrStart + " and " + lrEnd);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("train limit must be >= 0 (0 = all), got " + trainLimit);
        }
    }

    /**
     * Two hidden layers of 256 (784-256-256-10 on MNIST), 6 epochs of batch 100, seed 1, learning
     * rate 1e-2 decayed to 1e-4 at the last epoch, all training images, validation on: the flow's
     * network, small enough to train in seconds (its accuracy is in docs/results.md).
     */
    public static TrainConfig defaults() {
        return new TrainConfig(new int[] {256, 256}, 6, 100, 1, 1e-2, 1e-4, 0, true, Method.defaults(), null);
    }

    /** A copy of the hidden sizes. */
    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** The learning rate of epoch {@code epoch} (0-based): exponential decay from lrStart to lrEnd. */
    public double learningRate(int epoch) {
        return epochs == 1 ? lrStart : lrStart * Math.pow(lrEnd / lrStart, (double) epoch / (epochs - 1));
    }

    public TrainConfig withHidden(int... sizes) {
        return new TrainConfig(sizes, epochs, batchSize, seed, lrStart, lrEnd, trainLimit, validation, method, arch);
    }

    public TrainConfig withEpochs(int n) {
        return new TrainConfig(hidden, n, batchSize, seed, lrStart, lrEnd, trainLimit, validation, method, arch);
    }

    public TrainConfig withBatchSize(int n) {
        return new TrainConfig(hidden, epochs, n, seed, lrStart, lrEnd, trainLimit, validation, method, arch);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(hidden, epochs, batchSize, s, lrStart, lrEnd, trainLimit, validation, method, arch);
    }

    public TrainConfig withLearningRates(double start, double end) {
        return new TrainConfig(hidden, epochs, batchSize, seed, start, end, trainLimit, validation, method, arch);
    }

    public TrainConfig withTrainLimit(int n) {
        return new TrainConfig(hidden, epochs, batchSize, seed, lrStart, lrEnd, n, validation, method, arch);
    }

    public TrainConfig withValidation(boolean on) {
        return new TrainConfig(hidden, epochs, batchSize, seed, lrStart, lrEnd, trainLimit, on, method, arch);
    }

    /** A configuration for this architecture: an MLP becomes its hidden sizes, anything else is kept as it is. */
    public TrainConfig withArch(Architecture a) {
        return a.isMlp() ? new TrainConfig(a.hidden(), epochs, batchSize, seed, lrStart, lrEnd, trainLimit, validation, method, null)
                : new TrainConfig(hidden, epochs, batchSize, seed, lrStart, lrEnd, trainLimit, validation, method, a);
    }

    /** The architecture trained on data of {@code classes} classes: the conv architecture, or the MLP of the hidden sizes. */
    public Architecture architecture(int classes) {
        if (arch == null) {
            return Architecture.mlp(hidden, classes);
        }
        if (arch.classes() != classes) {
            throw new IllegalArgumentException("the architecture " + arch + " ends in " + arch.classes()
                    + " classes but the data has " + classes);
        }
        return arch;
    }

    public TrainConfig withMethod(Method m) {
        return new TrainConfig(hidden, epochs, batchSize, seed, lrStart, lrEnd, trainLimit, validation, m, arch);
    }

    /** Hidden sizes as {@code 256-256}. */
    public String hiddenString() {
        return Arrays.stream(hidden).mapToObj(Integer::toString).collect(Collectors.joining("-"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainConfig c && Arrays.equals(c.hidden, hidden) && c.epochs == epochs
                && c.batchSize == batchSize && c.seed == seed && Double.compare(c.lrStart, lrStart) == 0
                && Double.compare(c.lrEnd, lrEnd) == 0 && c.trainLimit == trainLimit && c.validation == validation
                && c.method.equals(method) && java.util.Objects.equals(c.arch, arch);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hidden) * 31 + java.util.Objects.hash(epochs, batchSize, seed, lrStart, lrEnd,
                trainLimit, validation, method, arch);
    }

    @Override
    public String toString() {
        return (arch == null ? "hidden " + hiddenString() : "arch " + arch) + ", " + epochs + " epochs, batch " + batchSize + ", seed " + seed
                + ", lr " + lrStart + " -> " + lrEnd + ", " + (trainLimit == 0 ? "all" : trainLimit)
                + " training images, validation " + (validation ? "on" : "off") + ", " + method;
    }
}
