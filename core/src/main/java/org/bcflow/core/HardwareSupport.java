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
}
