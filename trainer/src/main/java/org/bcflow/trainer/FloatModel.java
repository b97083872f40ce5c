package org.bcflow.trainer;

import java.util.List;
import java.util.stream.IntStream;
import org.bcflow.core.Architecture;
import org.bcflow.core.BitWidth;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.data.LabeledImages;

/**
 * A trained BinaryConnect MLP as plain Java: the float binary-weight model.
 *
 * <p>Inference, in double precision, with the binary weights sign(W) (sign(0) = +1) and the
 * running batch norm statistics: the input is {@code pixel / 255}; every layer computes
 * {@code y = a * (sign(W) x - runningMean) + beta} with {@code a = gamma / sqrt(runningVar + eps)}
 * ({@link FloatLayer#foldedScale()}, the same a the exporter folds); hidden layers pass on
 * {@code clip(y, 0, 1)}; the class is the index of the largest score of the last layer (the
 * lowest index on ties). No ND4J: this is the specification the trainer and the integer
 * exporter are tested against.
 *
 * <p>Two options of the training method change that form: a model trained without binarization
 * ({@code binary} false, the "no regularizer" baseline) uses the real W instead of sign(W) and
 * cannot be exported to hardware; a model trained with k-bit activations ({@code activationBits}
 * k > 0) passes on {@code round(clip(y, 0, 1) (2^k - 1)) / (2^k - 1)} (half up), which is what the
 * integer network computes for k-bit activations.
 *
 * <p>A model with convolutions ({@code arch} not an MLP) runs its weight layers as the
 * architecture places them, on HWC maps: a conv layer's FloatLayer is its matrix of
 * {@code k*k*C} columns in the integer network's column order, a max-pool takes the maximum of
 * the activations ({@link FloatConvInference}).
 *
 * @param layers         the weight layers (dense and conv), input first
 * @param binary         whether the weights are sign(W) (true) or the real W (false)
 * @param activationBits 0 for float hidden activations, else their width k
 * @param arch           the architecture the layers belong to
 * @param input          the shape of an input image (a vector for an MLP)
 */
public record FloatModel(List<FloatLayer> layers, boolean binary, int activationBits, Architecture arch, FeatureMap input) {

    /** A binary-weight MLP with float activations. */
    public FloatModel(List<FloatLayer> layers) {
        this(layers, true, 0);
    }

    /** An MLP: its architecture is its layer sizes, its input a vector. */
    public FloatModel(List<FloatLayer> layers, boolean binary, int activationBits) {
        this(layers, binary, activationBits, mlpOf(layers), FeatureMap.vector(layers.get(0).inputs()));
    }

    private static Architecture mlpOf(List<FloatLayer> layers) {
        int[] hidden = new int[layers.size() - 1];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = layers.get(i).outputs();
        }
        return Architecture.mlp(hidden, layers.get(layers.size() - 1).outputs());
    }

    public FloatModel {
        if (activationBits != 0 && !BitWidth.valid(activationBits)) {  // 0: float activations
            throw new IllegalArgumentException("activation bits must be 0.." + BitWidth.MAX + ", got " + activationBits);
        }
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one layer");
        }
        java.util.Objects.requireNonNull(arch, "arch");
        java.util.Objects.requireNonNull(input, "input");
        if (!arch.isMlp() || !input.isVector()) {             // fields are not set yet: isConvolutional() would not do
            FloatConvInference.check(layers, arch, input);
        } else {
            for (int i = 1; i < layers.size(); i++) {
                if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
                    throw new IllegalArgumentException("layer " + i + " takes " + layers.get(i).inputs()
                            + " inputs but layer " + (i - 1) + " gives " + layers.get(i - 1).outputs());
                }
            }
        }
    }

    /** True unless the model is an MLP on a vector. */
    public boolean isConvolutional() {
        return !arch.isMlp() || !input.isVector();
    }

    public int inputSize() {
        return input.size();
    }

    public int classes() {
        return layers.get(layers.size() - 1).outputs();
    }

    /**
     * The names of the weight layers, as the integer network calls them: dense0, dense1, ... for
     * an MLP; conv0, conv1, ... and dense0, dense1, ... for a model with convolutions.
     */
    public List<String> layerNames() {
        List<String> names = new java.util.ArrayList<>();
        if (!isConvolutional()) {
            for (int i = 0; i < layers.size(); i++) {
                names.add("dense" + i);
            }
            return names;
        }
        int convs = 0;
        int denses = 0;
        for (Architecture.Block b : arch.blocks()) {
            if (b instanceof Architecture.Conv) {
                names.add("conv" + convs++);
            } else if (b instanceof Architecture.Dense) {
                names.add("dense" + denses++);
            }
        }
        names.add("dense" + denses);
        return names;
    }

    /** Kernel size of weight layer i: k for a conv layer, 0 for a dense one. */
    public int kernel(int i) {
        int w = 0;
        for (Architecture.Block b : arch.blocks()) {
            if (b instanceof Architecture.Pool) {
                continue;
            }
            if (w++ == i) {
                return b instanceof Architecture.Conv c ? c.k() : 0;
            }
        }
        return 0;
    }

    /** The same model with its hidden activations evaluated at another width (0 = float). */
    public FloatModel withActivationBits(int k) {
        return new FloatModel(layers, binary, k, arch, input);
    }

    /** Layer sizes as {@code 784-256-256-10}, or the input shape and architecture as {@code 1x28x28-32C3-MP2-10}. */
    public String describe() {
        if (isConvolutional()) {
            return input + "-" + arch;
        }
        StringBuilder sb = new StringBuilder().append(inputSize());
        for (FloatLayer l : layers) {
            sb.append('-').append(l.outputs());
        }
        return sb.toString();
    }

    /** The class scores for one image of unsigned 8-bit pixels. */
    public float[] scores(int[] pixels) {
        double[] y = isConvolutional() ? new FloatConvInference(this).scores(pixels) : new Evaluator(this).scores(pixels);
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = (float) y[i];
        }
        return out;
    }

    /** The predicted class of one image: the largest score, the lowest index on ties. */
    public int predict(int[] pixels) {
        return org.bcflow.core.Argmax.of(isConvolutional() ? new FloatConvInference(this).scores(pixels)
                : new Evaluator(this).scores(pixels));
    }

    /** The fraction of images classified correctly (NaN for an empty set). */
    public double accuracy(LabeledImages images) {
        if (images.count() == 0) {
            return Double.NaN;
        }
        if (isConvolutional()) {
            FloatConvInference f = new FloatConvInference(this);
            long correct = IntStream.range(0, images.count()).parallel()
                    .filter(i -> org.bcflow.core.Argmax.of(f.scores(images.image(i))) == images.label(i)).count();
            return (double) correct / images.count();
        }
        Evaluator e = new Evaluator(this);
        long correct = IntStream.range(0, images.count()).parallel()
                .filter(i -> org.bcflow.core.Argmax.of(e.scores(images.image(i))) == images.label(i)).count();
        return (double) correct / images.count();
    }

    /**
     * The model with its binary weights unpacked once, for repeated inference. Layer 0 sums
     * {@code +-pixel} exactly in integers and divides by 255; later layers sum {@code +-x} in double.
     */
    private static final class Evaluator {
        private final FloatModel model;
        private final int[] firstSigns;      // layer 0, row-major +-1
        private final double[][] signs;      // layers 1.., row-major +-1.0
        private final double[][] scale;      // gamma / sqrt(runningVar + eps)
        private final float[][] mean;
        private final float[][] beta;
        private final int q;                 // 2^k - 1 for k-bit activations, 0 for float

        Evaluator(FloatModel model) {
            this.model = model;
            int n = model.layers().size();
            signs = new double[n][];
            scale = new double[n][];
            mean = new float[n][];
            beta = new float[n][];
            FloatLayer first = model.layers().get(0);
            firstSigns = model.binary() ? new int[first.inputs() * first.outputs()] : null;
            q = model.activationBits() == 0 ? 0 : (1 << model.activationBits()) - 1;
            for (int k = 0; k < n; k++) {
                FloatLayer l = model.layers().get(k);
                float[] w = l.weights();
                if (k == 0 && model.binary()) {
                    for (int i = 0; i < w.length; i++) {
                        firstSigns[i] = w[i] >= 0f ? 1 : -1;
                    }
                } else {
                    signs[k] = new double[w.length];
                    for (int i = 0; i < w.length; i++) {
                        signs[k][i] = model.binary() ? (w[i] >= 0f ? 1.0 : -1.0) : w[i];
                    }
                }
                scale[k] = l.foldedScale();
                mean[k] = l.runningMean();
                beta[k] = l.beta();
            }
        }

        double[] scores(int[] pixels) {
            if (pixels.length != model.inputSize()) {
                throw new IllegalArgumentException("image has " + pixels.length + " pixels, the model takes "
                        + model.inputSize());
            }
            double[] x = null;
            for (int k = 0; k < model.layers().size(); k++) {
                FloatLayer l = model.layers().get(k);
                double[] y = new double[l.outputs()];
                for (int r = 0; r < y.length; r++) {
                    int base = r * l.inputs();
                    double z;
                    if (k == 0 && model.binary()) {
                        int acc = 0;
                        for (int j = 0; j < pixels.length; j++) {
                            acc += firstSigns[base + j] * pixels[j];
                        }
                        z = acc / 255.0;
                    } else {
                        z = 0;
                        for (int j = 0; j < l.inputs(); j++) {
                            z += signs[k][base + j] * (k == 0 ? pixels[j] / 255.0 : x[j]);
                        }
                    }
                    y[r] = scale[k][r] * (z - mean[k][r]) + beta[k][r];
                    if (k < model.layers().size() - 1) {
                        y[r] = Math.min(1.0, Math.max(0.0, y[r]));
                        if (q > 0) {
                            y[r] = Math.floor(y[r] * q + 0.5) / q;
                        }
                    }
                }
                x = y;
            }
            return x;
        }
    }
}
