package org.bcflow.core;

import java.util.List;

/**
 * What the hardware tools (RTL generation, verification, fuzzing, synthesis and its resource
 * model, ROM export) can build: MLPs only, until the convolutional hardware lands. Each of them
 * refuses any other network through {@link #requireMlp}, so the message is the same everywhere.
 */
public final class HardwareSupport {
    private HardwareSupport() {
    }

    /**
     * Refuses a network that is not an MLP, in one line.
     *
     * @param source what the network came from, to start the message with (a file name), or null
     */
    public static void requireMlp(Network net, String source) {
        if (net.isMlp()) {
            return;
        }
        List<String> names = net.stack().stream().filter(l -> !(l instanceof DenseLayer)).map(Layer::name).toList();
        String what = names.isEmpty()
                ? "dense layers on a " + net.input() + " input map (not a vector)"
                : "conv and max-pool layers (" + String.join(", ", names) + ")";
        throw new BcflowException((source == null ? "" : source + ": ") + what
                + " have no hardware generator yet; rtl, verify and synth take MLPs only");
    }

    /**
     * Refuses, in one line, a network the RTL generator and the verifier cannot build: they take an
     * MLP, or conv layers (each optionally followed by one max-pool) on an input map, then dense
     * layers, the last of them the scores.
     *
     * @param source what the network came from, to start the message with (a file name), or null
     */
    public static void requireGeneratable(Network net, String source) {
        if (net.isMlp()) {
            return;
        }
        String prefix = source == null ? "" : source + ": ";
        List<Layer> stack = net.stack();
        boolean dense = false;
        for (int i = 0; i < stack.size(); i++) {
            Layer l = stack.get(i);
            String problem = null;
            if (l instanceof MaxPoolLayer && (i == 0 || !(stack.get(i - 1) instanceof ConvLayer))) {
                problem = "a max-pool must follow a conv layer directly in hardware";
            } else if (l instanceof ConvLayer && dense) {
                problem = "a conv layer after a dense layer has no hardware";
            } else if (i == 0 && !(l instanceof ConvLayer)) {
                problem = "a network on a " + net.input() + " map must start with a conv layer in hardware";
            }
            if (problem != null) {
                throw new BcflowException(prefix + "layer " + l.name() + " (" + l.kind() + "): " + problem);
            }
            dense |= l instanceof DenseLayer;
        }
        if (!dense) {
            throw new BcflowException(prefix + "the last layer must be a dense layer (the scores) in hardware");
        }
    }
}
