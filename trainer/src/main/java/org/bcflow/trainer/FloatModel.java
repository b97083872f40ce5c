package org.bcflow.trainer;

import java.util.List;
import java.util.stream.IntStream;
import org.bcflow.core.data.LabeledImages;

/**
 * A trained BinaryConnect MLP as plain Java: the float binary-weight model.
 *
 * <p>Inference, in double precision, with the binary weights sign(W) (sign(0) = +1) and the
 * running batch norm statistics: the input is {@code pixel / 255}; every layer computes
 * {@code y = gamma * (sign(W) x - runningMean) / sqrt(runningVar + eps) + beta}; hidden layers
 * pass on {@code clip(y, 0, 1)}; the class is the index of the largest score of the last layer
 * (the lowest index on ties). No ND4J: this is the specification the trainer and the integer
 * exporter are tested against.
 *
 * @param layers the layers, input first
 */
public record FloatModel(List<FloatLayer> layers) {

    public FloatModel {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
                throw new IllegalArgumentException("layer " + i + " takes " + layers.get(i).inputs()
                        + " inputs but layer " + (i - 1) + " gives " + layers.get(i - 1).outputs());
            }
        }
    }

    public int inputSize() {
        return layers.get(0).inputs();
    }

    public int classes() {
        return layers.get(layers.size() - 1).outputs();
    }

    /** Layer sizes as {@code 784-256-256-10}. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(inputSize());
        for (FloatLayer l : layers) {
            sb.append('-').append(l.outputs());
        }
        return sb.toString();
    }

    /** The class scores for one image of unsigned 8-bit pixels. */
    public float[] scores(int[] pixels) {
        double[] y = forward(pixels);
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = (float) y[i];
        }
        return out;
    }

    /** The predicted class of one image: the largest score, the lowest index on ties. */
    public int predict(int[] pixels) {
        double[] y = forward(pixels);
        int best = 0;
        for (int i = 1; i < y.length; i++) {
            if (y[i] > y[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The fraction of images classified correctly. */
    public double accuracy(LabeledImages images) {
        if (images.count() == 0) {
            return Double.NaN;
        }
        long correct = IntStream.range(0, images.count()).parallel()
                .filter(i -> predict(images.image(i)) == images.label(i)).count();
        return (double) correct / images.count();
    }

    private double[] forward(int[] pixels) {
        if (pixels.length != inputSize()) {
            throw new IllegalArgumentException("image has " + pixels.length + " pixels, the model takes " + inputSize());
        }
        double[] x = new double[pixels.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = pixels[j] / 255.0;
        }
        for (int i = 0; i < layers.size(); i++) {
            double[] y = layers.get(i).apply(x);
            if (i < layers.size() - 1) {
                for (int n = 0; n < y.length; n++) {
                    y[n] = Math.min(1.0, Math.max(0.0, y[n]));
                }
            }
            x = y;
        }
        return x;
    }
}
