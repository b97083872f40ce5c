package org.bcflow.trainer;

import org.bcflow.core.data.LabeledImages;

/**
 * What {@link Trainer} and the benchmark need of a net in training: {@link BinaryMlp} for
 * multilayer perceptrons, {@link ConvNet} for anything with convolutions or pooling.
 */
interface TrainableNet {

    /** Draws the initial weights from {@code new Random(seed)}, layer by layer. */
    void initialise(long seed);

    int batchSize();

    /** Loads images {@code indices[0..count)} as the first rows of the input batch (value / 255). */
    void load(LabeledImages images, int[] indices, int count);

    /** One training step on the loaded batch; returns the loss and adds the misclassified images to errors[0]. */
    double trainStep(int[] labels, double lr, int[] errors);

    /** Puts the weights of a test mode into the forward pass; {@code sample} numbers the nets of an ensemble. */
    void useTestWeights(TrainConfig.TestMode mode, int sample);

    /** Forward pass over the loaded batch: batch statistics (and dropout) when training, running averages otherwise. */
    void forward(boolean training);

    /** Misclassified images among the first {@code count} rows of the last forward pass. */
    int errors(int[] labels, int count);

    /** The scores of the last forward pass, [batch, classes] row-major. */
    float[] scores();

    long adamSteps();

    /** Everything training carries from step to step, per weight layer the 11 arrays of W, batch norm and moments. */
    float[][] state();

    void setState(float[][] state, long adamSteps);

    FloatModel toFloatModel();

    /** Stops any helper thread; the net still works afterwards. */
    void close();
}
