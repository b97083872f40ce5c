package org.bcflow.qonnx.importer;

import java.util.List;
import org.bcflow.core.Network;
import org.bcflow.qonnx.OnnxGraph;

/**
 * An imported model: the integer network, the model it came from, what each node became, and
 * where in the model each of the network's activations can be read (for {@link ImportCheck}).
 *
 * @param network    the integer network
 * @param graph      the model
 * @param inputName  the model's input
 * @param inputShape its declared shape (batch 1)
 * @param steps      one line per stage: the nodes and what they became
 * @param probes     the model's values that hold the network's codes
 * @param scores     the model's value that holds the scores (before a final ArgMax or TopK)
 */
public record ImportedNetwork(Network network, OnnxGraph graph, String inputName, int[] inputShape, List<String> steps,
        List<Probe> probes, String scores) {

    /**
     * A value of the model holding codes of the network: those of the input quantizer
     * ({@code stackIndex} -1) or of stack layer {@code stackIndex}; element i of the value is the
     * network's element {@code toHwc[i]} (HWC order), as {@code levels} maps it to a code.
     */
    record Probe(String tensor, int stackIndex, Levels levels, int[] toHwc) {
    }
}
