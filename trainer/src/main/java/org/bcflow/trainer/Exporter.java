package org.bcflow.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bcflow.core.BitWidth;
import org.bcflow.core.Architecture;
import org.bcflow.core.BatchNormFolding;
import org.bcflow.core.ConvLayer;
import org.bcflow.core.Layer;
import org.bcflow.core.MaxPoolLayer;
import org.bcflow.core.BcflowException;
import org.bcflow.core.BitMatrix;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.Network;

/**
 * Turns a float model into the integer network of bcflow-core.
 *
 * <p>Per layer the running batch norm becomes {@code y = a * z + c} with
 * {@code a = gamma / sqrt(runningVar + eps)} and {@code c = beta - a * runningMean}. Layer 0 takes
 * 8-bit pixels (input scale 255); every later layer takes k-bit activations, k = activationBits
 * (input scale 2^k - 1). Hidden layers fold into {@link BatchNormFolding#hidden}, the last into
 * {@link BatchNormFolding#output}; the weights are sign(W) with sign(0) = +1. An MLP's layers are
 * named dense0, dense1, ...; a model with convolutions becomes conv, maxpool and dense layers
 * in the order of its architecture, each kind numbered from 0 (conv0, conv1, pool0, dense0, ...),
 * on the image shape it was trained on. A max-pool passes activations through unchanged, so the
 * folding of the layer before it is the same as without it.
 */
public final class Exporter {
    private Exporter() {
    }

    /**
     * @throws BcflowException if the model has real-valued weights (trained without binarization)
     */
    public static Network toNetwork(FloatModel m, int activationBits, Map<String, String> metadata) {
        if (!m.binary()) {
            throw new BcflowException("the model has real-valued weights (trained with binarization none, the"
                    + " no-regularizer baseline): only binary-weight models can be exported to hardware");
        }
        if (!BitWidth.valid(activationBits)) {
            throw new IllegalArgumentException("activation bits must be " + BitWidth.range() + ", got " + activationBits);
        }
        if (m.isConvolutional()) {
            return convolutional(m, activationBits, metadata);
        }
        List<DenseLayer> layers = new ArrayList<>();
        List<String> names = m.layerNames();
        for (int i = 0; i < m.layers().size(); i++) {
            layers.add(matrix(m, i, names.get(i), activationBits));
        }
        return new Network(layers, metadata);
    }

    private static Network convolutional(FloatModel m, int activationBits, Map<String, String> metadata) {
        List<Layer> stack = new ArrayList<>();
        List<String> names = m.layerNames();
        int pools = 0;
        int w = 0;
        for (Architecture.Block b : m.arch().blocks()) {
            if (b instanceof Architecture.Pool p) {
                stack.add(new MaxPoolLayer("pool" + pools++, p.p()));
            } else if (b instanceof Architecture.Conv c) {
                stack.add(new ConvLayer(matrix(m, w, names.get(w), activationBits), c.k(), c.padding()));
                w++;
            } else {
                stack.add(matrix(m, w, names.get(w), activationBits));
                w++;
            }
        }
        stack.add(matrix(m, w, names.get(w), activationBits));
        return new Network(m.input(), stack, metadata);
    }

    /** Weight layer i of the model as an integer matrix with its folded batch norm. */
    private static DenseLayer matrix(FloatModel m, int i, String name, int activationBits) {
        FloatLayer f = m.layers().get(i);
        boolean last = i == m.layers().size() - 1;
        int inputBits = i == 0 ? 8 : activationBits;
        double inputScale = (1L << inputBits) - 1;
        double[] a = f.foldedScale();
        double[] c = f.foldedOffset();
        BatchNormFolding.Folded folded = last
                ? BatchNormFolding.output(a, c, inputScale)
                : BatchNormFolding.hidden(a, c, inputScale, activationBits);
        BitMatrix w = BitMatrix.fromSigns(f.outputs(), f.inputs(), f.weights());
        return new DenseLayer(name, w, inputBits, folded.mul(), folded.add(), folded.shift());
    }
}
