package org.bcflow.core;

import java.util.List;

/**
 * What the hardware tools (RTL generation, verification, fuzzing, synthesis and its resource
 * model, ROM export) can build: an MLP, or conv layers (each followed by at most one max-pool) on
 * an input map, then dense layers, the last of them the scores. Each tool refuses any other
 * network through {@link #requireGeneratable}, and flow refuses such an architecture before it
 * trains, so the message is the same everywhere.
 */
public final class HardwareSupport {
    private HardwareSupport() {
    }

    /** Refuses, in one line, an architecture (of {@code --arch}) whose network the hardware tools cannot build. */
    public static void requireGeneratable(Architecture arch) {
        List<Architecture.Block> blocks = arch.blocks();
        boolean dense = false;
        for (int i = 0; i < blocks.size(); i++) {
            Architecture.Block b = blocks.get(i);
            String problem = problem(i, b instanceof Architecture.Conv, b instanceof Architecture.Pool,
                    i > 0 && blocks.get(i - 1) instanceof Architecture.Conv, dense, !arch.isMlp());
            if (problem != null) {
                throw new BcflowException("token '" + b.token() + "': " + problem);
            }
            dense |= b instanceof Architecture.Dense;
        }
    }

    /** What keeps layer i from hardware, or null: the rules of both checks in one place. */
    private static String problem(int i, boolean conv, boolean pool, boolean afterConv, boolean afterDense, boolean onMap) {
        if (pool && !afterConv) {
            return "a max-pool must follow a conv layer directly in hardware";
        }
        if (conv && afterDense) {
            return "a conv layer after a dense layer has no hardware";
        }
        if (i == 0 && onMap && !conv) {
            return "a network on an input map must start with a conv layer in hardware";
        }
        return null;
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
            String problem = problem(i, l instanceof ConvLayer, l instanceof MaxPoolLayer,
                    i > 0 && stack.get(i - 1) instanceof ConvLayer, dense, true);
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
