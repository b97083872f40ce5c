package org.bcflow.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bcflow.core.BitWidth;
import org.bcflow.core.BatchNormFolding;
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
 * {@link BatchNormFolding#output}; the weights are sign(W) with sign(0) = +1. Layers are named
 * dense0, dense1, ...
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
        List<DenseLayer> layers = new ArrayList<>();
        for (int i = 0; i < m.layers().size(); i++) {
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
            layers.add(new DenseLayer("dense" + i, w, inputBits, folded.mul(), folded.add(), folded.shift()));
        }
        return new Network(layers, metadata);
    }
}
