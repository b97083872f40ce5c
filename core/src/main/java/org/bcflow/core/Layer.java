package org.bcflow.core;

/**
 * A layer of the integer network. A {@link DenseLayer} takes its input map as one vector; a
 * {@link ConvLayer} slides a dense matrix over the map's k x k windows; a {@link MaxPoolLayer}
 * keeps the largest value of each p x p window. {@link Network} checks that their shapes chain.
 */
public sealed interface Layer permits DenseLayer, ConvLayer, MaxPoolLayer {

    /** Short name used in Verilog, files and messages, e.g. {@code conv0}. */
    String name();

    /** The kind's name in the network file: {@code dense}, {@code conv}, {@code maxpool}. */
    String kind();

    /** The shape of the output for this input; refuses an input the layer cannot take (one line naming the layer). */
    FeatureMap output(FeatureMap input);
}
