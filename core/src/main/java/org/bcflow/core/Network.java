package org.bcflow.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The integer network: the one definition of what the hardware computes.
 *
 * <p>The input is a vector of unsigned {@code layers[0].inputBits}-bit values (8-bit pixels for
 * images). Every layer but the last outputs unsigned activations of the next layer's input width;
 * the last outputs signed scores, and the class is the index of the largest score (ties: the
 * lowest index).
 *
 * @param layers   the dense layers, in order
 * @param metadata free-form provenance (data set, training options, float accuracy); not hashed;
 *                 kept sorted by key, so that the same network is always written as the same bytes
 */
public record Network(List<DenseLayer> layers, Map<String, String> metadata) {

    public Network {
        layers = List.copyOf(layers);
        // Sorted rather than Map.copyOf, whose iteration order changes from one JVM to the next.
        TreeMap<String, String> sorted = new TreeMap<>();
        metadata.forEach((k, v) -> sorted.put(Objects.requireNonNull(k, "metadata key"), Objects.requireNonNull(v, "metadata value")));
        metadata = Collections.unmodifiableSortedMap(sorted);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            DenseLayer prev = layers.get(i - 1);
            DenseLayer cur = layers.get(i);
            if (cur.inputs() != prev.outputs()) {
                throw new IllegalArgumentException(cur.name() + " takes " + cur.inputs() + " inputs but "
                        + prev.name() + " gives " + prev.outputs());
            }
        }
        for (int i = 0; i < layers.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (layers.get(i).name().equals(layers.get(j).name())) {
                    throw new IllegalArgumentException("two layers are named " + layers.get(i).name());
                }
            }
            widths(layers, i); // rejects a layer whose arithmetic would overflow
        }
    }

    public int inputSize() {
        return layers.get(0).inputs();
    }

    public int inputBits() {
        return layers.get(0).inputBits();
    }

    public int classes() {
        return layers.get(layers.size() - 1).outputs();
    }

    public DenseLayer layer(int i) {
        return layers.get(i);
    }

    public boolean isLast(int i) {
        return i == layers.size() - 1;
    }

    /** The datapath widths of layer i. */
    public Widths widths(int i) {
        return widths(layers, i);
    }

    private static Widths widths(List<DenseLayer> layers, int i) {
        int next = i + 1 < layers.size() ? layers.get(i + 1).inputBits() : 0;
        return Widths.of(layers.get(i), next);
    }

    public Network withLayer(int i, DenseLayer layer) {
        var copy = new java.util.ArrayList<>(layers);
        copy.set(i, layer);
        return new Network(copy, metadata);
    }

    /**
     * SHA-256 over everything that defines the computation (not the metadata), as 64 hex digits.
     * It names the network in generated Verilog and reports.
     */
    public String hash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(16);
            for (DenseLayer l : layers) {
                md.update(l.name().getBytes(StandardCharsets.UTF_8));
                buf.clear();
                buf.putInt(l.inputs()).putInt(l.outputs()).putInt(l.inputBits()).putInt(l.shift());
                md.update(buf.array());
                for (int r = 0; r < l.outputs(); r++) {
                    md.update(l.weights().rowHex(r).getBytes(StandardCharsets.US_ASCII));
                    md.update(ByteBuffer.allocate(16).putLong(l.mul(r)).putLong(l.add(r)).array());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A one-line description such as {@code 784-256-256-10, 8/4/4-bit inputs}. */
    public String describe() {
        StringBuilder sizes = new StringBuilder().append(inputSize());
        StringBuilder bits = new StringBuilder();
        for (DenseLayer l : layers) {
            sizes.append('-').append(l.outputs());
            bits.append(bits.length() == 0 ? "" : "/").append(l.inputBits());
        }
        return sizes + ", " + bits + "-bit layer inputs";
    }
}
