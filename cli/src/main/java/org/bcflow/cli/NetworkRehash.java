package org.bcflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bcflow.core.Json;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;

/**
 * Reads a network file as {@link NetworkFile#read} does, except that a missing or stale hash is
 * allowed. All checks are {@link NetworkFile#read}'s own: the hash is the last thing it checks, so
 * a file it refuses only for its hash is sound in every other way, and only such a file is taken
 * apart here, with none of the checks repeated.
 */
final class NetworkRehash {
    private NetworkRehash() {
    }

    /** The hash the file states, "" when it has none. */
    static String writtenHash(Path file) {
        try {
            return Json.MAPPER.readTree(Files.readAllBytes(file)).path("hash").asText();
        } catch (IOException | RuntimeException e) {
            return "";  // NetworkFile.read says what is wrong with it
        }
    }

    /** The network, every check but the hash's applied: a real defect is refused, never rehashed away. */
    static Network read(Path file) {
        return NetworkFile.readIgnoringHash(file);
    }

    /** Writes the network with its hash, and reads it back: what is written is what every command will accept. */
    static void write(Network net, Path file) {
        NetworkFile.write(net, file);
        if (!NetworkFile.read(file).hash().equals(net.hash())) {
            throw new IllegalStateException("the rehashed network does not read back as written: " + file);
        }
    }
}
