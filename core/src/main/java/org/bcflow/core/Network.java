package org.bcflow.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The integer network: the one definition of what the hardware computes.
 *
 * <p>The input is a feature map (HWC order, see {@link FeatureMap}) of unsigned
 * {@code inputBits}-bit values (8-bit pixels for images; an MLP's input is a plain vector). The
 * layers ({@link Layer}) run in order. Every weight layer but the last outputs unsigned
 * activations of the next weight layer's input width (a max-pool between them passes its values
 * through); the last outputs signed scores, and the class is the index of the largest score
 * (ties: the lowest index).
 *
 * <p>Two views of the layers: {@link #stack()} is every layer, max-pools included;
 * {@link #layers()} is the <em>weight layers</em> only, each as its {@link DenseLayer} matrix (a
 * conv layer as its {@code k*k*in_channels}-column matrix). Widths, ROMs and folding are per
 * weight layer; for an MLP the two views are the same list.
 *
 * @param input    the shape of the input
 * @param stack    all layers, in order
 * @param metadata free-form provenance (data set, training options, float accuracy); not hashed;
 *                 kept sorted by key, so that the same network is always written as the same bytes
 * @param quantizer null when the input values are the first layer's inputs as they are; otherwise
 *                 the comparators that turn raw input values into the first layer's codes
 */
public record Network(FeatureMap input, List<Layer> stack, Map<String, String> metadata, InputQuantizer quantizer) {

    public Network(FeatureMap input, List<Layer> stack, Map<String, String> metadata) {
        this(input, stack, metadata, null);
    }

    public Network {
        stack = List.copyOf(stack);
        // Sorted rather than Map.copyOf, whose iteration order changes from one JVM to the next.
        TreeMap<String, String> sorted = new TreeMap<>();
        metadata.forEach((k, v) -> sorted.put(Objects.requireNonNull(k, "metadata key"), Objects.requireNonNull(v, "metadata value")));
        metadata = Collections.unmodifiableSortedMap(sorted);
        if (stack.stream().noneMatch(l -> !(l instanceof MaxPoolLayer))) {
            throw new IllegalArgumentException("a network needs at least one dense or conv layer");
        }
        if (!(stack.get(stack.size() - 1) instanceof DenseLayer) && !(stack.get(stack.size() - 1) instanceof ConvLayer)) {
            throw new IllegalArgumentException("the last layer must be dense or conv (its outputs are the scores), not "
                    + stack.get(stack.size() - 1).kind());
        }
        FeatureMap map = input;
        for (Layer l : stack) {
            map = l.output(map); // rejects a layer that does not fit its input
        }
        if (!map.isVector()) {
            throw new IllegalArgumentException("the last layer gives a " + map + " map, not one score per class");
        }
        for (int i = 0; i < stack.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (stack.get(i).name().equals(stack.get(j).name())) {
                    throw new IllegalArgumentException("two layers are named " + stack.get(i).name());
                }
            }
        }
        List<DenseLayer> weights = weightLayers(stack);
        for (int i = 0; i < weights.size(); i++) {
            widths(weights, i); // rejects a layer whose arithmetic would overflow
            checkThresholds(weights, i);
        }
        if (quantizer != null && (!quantizer.countIsCodeRange() || quantizer.codeBits() != weights.get(0).inputBits())) {
            throw new IllegalArgumentException("the input quantizer has " + quantizer.thresholds().length + " thresholds but "
                    + weights.get(0).name() + " takes " + weights.get(0).inputBits() + "-bit inputs, which need "
                    + ((1 << weights.get(0).inputBits()) - 1));
        }
    }

    /** A layer of explicit thresholds is hidden and has one threshold per nonzero code of the next layer's input. */
    private static void checkThresholds(List<DenseLayer> weights, int i) {
        DenseLayer l = weights.get(i);
        if (!l.hasThresholds()) {
            return;
        }
        if (i == weights.size() - 1) {
            throw new IllegalArgumentException(l.name() + ": the last layer gives scores, not thresholded activations");
        }
        int bits = weights.get(i + 1).inputBits();
        if (bits > Thresholds.MAX_BITS) {
            throw new IllegalArgumentException(l.name() + ": thresholds give at most " + Thresholds.MAX_BITS
                    + "-bit activations, the next layer takes " + bits);
        }
        if (l.thresholds(0).length != (1 << bits) - 1) {
            throw new IllegalArgumentException(l.name() + ": " + l.thresholds(0).length + " thresholds per neuron, but the next layer's "
                    + bits + "-bit inputs need " + ((1 << bits) - 1));
        }
    }

    /**
     * Whether the network uses what only format version 3 holds (an input quantizer, a layer of
     * explicit thresholds); such a network hashes those too.
     */
    public boolean needsVersion3() {
        return quantizer != null || layers().stream().anyMatch(DenseLayer::hasThresholds);
    }

    /** An MLP: dense layers on a vector input. */
    public Network(List<DenseLayer> layers, Map<String, String> metadata) {
        this(FeatureMap.vector(layers.isEmpty() ? 1 : layers.get(0).inputs()), List.<Layer>copyOf(layers), metadata, null);
    }

    /** The weight layers (dense, and conv as its matrix), in order; max-pools left out. */
    public List<DenseLayer> layers() {
        return weightLayers(stack);
    }

    private static List<DenseLayer> weightLayers(List<Layer> stack) {
        List<DenseLayer> out = new ArrayList<>();
        for (Layer l : stack) {
            if (l instanceof DenseLayer d) {
                out.add(d);
            } else if (l instanceof ConvLayer c) {
                out.add(c.matrix());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** True when every layer is dense and the input is a vector: what the RTL generator builds today. */
    public boolean isMlp() {
        return input.isVector() && stack.stream().allMatch(l -> l instanceof DenseLayer);
    }

    /** The number of input values. */
    public int inputSize() {
        return input.size();
    }

    /** Bits of each input value as it arrives: the raw width before an input quantizer, else the first layer's. */
    public int inputBits() {
        return quantizer != null ? quantizer.rawBits() : layers().get(0).inputBits();
    }

    public int classes() {
        List<DenseLayer> w = layers();
        return w.get(w.size() - 1).outputs();
    }

    /** Weight layer i's matrix. */
    public DenseLayer layer(int i) {
        return layers().get(i);
    }

    /** Whether weight layer i is the last one. */
    public boolean isLast(int i) {
        return i == layers().size() - 1;
    }

    /** The datapath widths of weight layer i. */
    public Widths widths(int i) {
        return widths(layers(), i);
    }

    private static Widths widths(List<DenseLayer> layers, int i) {
        int next = i + 1 < layers.size() ? layers.get(i + 1).inputBits() : 0;
        return Widths.of(layers.get(i), next);
    }

    /** The shape of the input of stack layer i (of the output when i is the stack's size). */
    public FeatureMap mapBefore(int i) {
        FeatureMap map = input;
        for (int j = 0; j < i; j++) {
            map = stack.get(j).output(map);
        }
        return map;
    }

    /** This network with weight layer i's matrix replaced (a conv layer keeps its kernel and padding). */
    public Network withLayer(int i, DenseLayer layer) {
        List<Layer> copy = new ArrayList<>(stack);
        int w = -1;
        for (int j = 0; j < copy.size(); j++) {
            Layer l = copy.get(j);
            if (l instanceof MaxPoolLayer) {
                continue;
            }
            if (++w == i) {
                copy.set(j, l instanceof ConvLayer c ? new ConvLayer(layer, c.k(), c.padding()) : layer);
            }
        }
        return new Network(input, copy, metadata, quantizer);
    }

    /**
     * SHA-256 over everything that defines the computation (not the metadata), as 64 hex digits.
     * It names the network in generated Verilog and reports. An MLP's hash is that of format
     * version 1; any other network also hashes its input shape and each layer's kind and geometry.
     */
    public String hash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            boolean v3 = needsVersion3();
            boolean mlp = isMlp() && !v3;
            if (!mlp) {
                md.update((v3 ? "bcnet3" : "bcnet2").getBytes(StandardCharsets.US_ASCII));
                md.update(ByteBuffer.allocate(12).putInt(input.channels()).putInt(input.height()).putInt(input.width()).array());
            }
            if (v3) {
                long[] t = quantizer == null ? new long[0] : quantizer.thresholds();
                md.update(ByteBuffer.allocate(8).putInt(quantizer == null ? 0 : quantizer.rawBits()).putInt(t.length).array());
                for (long tj : t) {
                    md.update(ByteBuffer.allocate(8).putLong(tj).array());
                }
            }
            for (Layer layer : stack) {
                md.update(layer.name().getBytes(StandardCharsets.UTF_8));
                if (!mlp) {
                    md.update(layer.kind().getBytes(StandardCharsets.US_ASCII));
                }
                if (layer instanceof DenseLayer d) {
                    hashMatrix(md, d, v3);
                } else if (layer instanceof ConvLayer c) {
                    md.update(ByteBuffer.allocate(8).putInt(c.k()).putInt(c.padding().ordinal()).array());
                    hashMatrix(md, c.matrix(), v3);
                } else if (layer instanceof MaxPoolLayer p) {
                    md.update(ByteBuffer.allocate(4).putInt(p.p()).array());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void hashMatrix(MessageDigest md, DenseLayer l, boolean v3) {
        md.update(ByteBuffer.allocate(16).putInt(l.inputs()).putInt(l.outputs()).putInt(l.inputBits()).putInt(l.shift()).array());
        if (v3) {
            md.update(ByteBuffer.allocate(4).putInt(l.hasThresholds() ? l.thresholds(0).length : 0).array());
        }
        for (int r = 0; r < l.outputs(); r++) {
            md.update(l.weights().rowHex(r).getBytes(StandardCharsets.US_ASCII));
            if (l.hasThresholds()) {
                for (long t : l.thresholds(r)) {
                    md.update(ByteBuffer.allocate(8).putLong(t).array());
                }
            } else {
                md.update(ByteBuffer.allocate(16).putLong(l.mul(r)).putLong(l.add(r)).array());
            }
        }
    }

    /**
     * A one-line description: {@code 784-256-256-10, 8/4/4-bit layer inputs} for an MLP,
     * {@code 1x28x28-32C3-MP2-64C3-MP2-512FC-10, 8/4/4/4-bit layer inputs} otherwise (the
     * architecture notation, padding {@code v} for valid).
     */
    public String describe() {
        StringBuilder sizes = new StringBuilder();
        StringBuilder bits = new StringBuilder();
        boolean mlp = isMlp();
        sizes.append(mlp ? Integer.toString(inputSize()) : input.toString());
        List<DenseLayer> w = layers();
        for (Layer l : stack) {
            if (l instanceof DenseLayer d) {
                sizes.append('-').append(d.outputs()).append(mlp || d == w.get(w.size() - 1) ? "" : "FC");
            } else if (l instanceof ConvLayer c) {
                sizes.append('-').append(c.outChannels()).append('C').append(c.k()).append(c.padding() == Padding.VALID ? "v" : "");
            } else if (l instanceof MaxPoolLayer p) {
                sizes.append("-MP").append(p.p());
            }
        }
        for (DenseLayer l : w) {
            bits.append(bits.length() == 0 ? "" : "/").append(l.inputBits());
        }
        String quantized = quantizer == null ? "" : ", " + quantizer.rawBits() + "-bit input by thresholds";
        return sizes + ", " + bits + "-bit layer inputs" + quantized;
    }
}
