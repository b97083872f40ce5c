package org.bcflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bcflow.core.BcflowException;
import org.bcflow.core.BitMatrix;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.FileErrors;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;

/**
 * Reads a network file as {@link NetworkFile#read} does, except that a missing or stale hash is
 * allowed. All checks are {@link NetworkFile#read}'s own: the hash is the last thing it checks, so
 * a file it refuses only for its hash is sound in every other way, and only such a file is taken
 * apart here, with none of the checks repeated.
 */
final class NetworkRehash {
    /** {@link NetworkFile#read}'s reason for a file whose hash alone is wrong. */
    private static final String HASH_ONLY = "content does not match its hash (file edited or damaged)";

    private NetworkRehash() {
    }

    /** The hash the file states, "" when it has none. */
    static String writtenHash(Path file) {
        try {
            return new ObjectMapper().readTree(Files.readAllBytes(file)).path("hash").asText();
        } catch (IOException | RuntimeException e) {
            return "";  // NetworkFile.read says what is wrong with it
        }
    }

    static Network read(Path file) {
        try {
            return NetworkFile.read(file);
        } catch (BcflowException e) {
            if (!e.getMessage().equals(file + ": " + HASH_ONLY)) {
                throw e;  // a real defect: rehashing would hide it
            }
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw FileErrors.failure("cannot read", file, e);
        }
        Map<String, String> meta = new TreeMap<>();
        root.path("metadata").fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
        List<DenseLayer> layers = new ArrayList<>();
        for (JsonNode l : root.path("layers")) {
            int outputs = l.path("outputs").intValue();
            long[] mul = new long[outputs];
            long[] add = new long[outputs];
            List<String> rows = new ArrayList<>();
            for (int r = 0; r < outputs; r++) {
                mul[r] = l.path("mul").get(r).longValue();
                add[r] = l.path("add").get(r).longValue();
                rows.add(l.path("weights").get(r).asText());
            }
            layers.add(new DenseLayer(l.path("name").asText(), BitMatrix.fromRowHex(outputs, l.path("inputs").intValue(), rows),
                    l.path("input_bits").intValue(), mul, add, l.path("shift").intValue()));
        }
        return new Network(layers, meta);
    }

    /** Writes the network with its hash, and reads it back: what is written is what every command will accept. */
    static void write(Network net, Path file) {
        NetworkFile.write(net, file);
        if (!NetworkFile.read(file).hash().equals(net.hash())) {
            throw new IllegalStateException("the rehashed network does not read back as written: " + file);
        }
    }
}
