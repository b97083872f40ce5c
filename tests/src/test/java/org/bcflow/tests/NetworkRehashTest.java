package org.bcflow.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.RandomNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bcflow network --rehash}: a .bcnet from another tool gets its hash, and only a sound one. */
class NetworkRehashTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A network file as another tool might write it: one number changed by hand, the hash left stale. */
    private Path edited(String name) throws IOException {
        Path f = tmp.resolve(name);
        NetworkFile.write(RandomNetwork.create(1, new int[] {16, 8, 10}, new int[] {8, 4}), f);
        ObjectNode root = (ObjectNode) JSON.readTree(f.toFile());
        ArrayNode add = (ArrayNode) root.path("layers").get(0).path("add");
        add.set(0, add.get(0).longValue() + 1);
        Files.writeString(f, JSON.writeValueAsString(root));
        return f;
    }

    private static void assertRefused(Cli r, String expected) {
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.errorLines().size(), r.err());
        assertTrue(r.errorLines().get(0).contains(expected), r.errorLines().get(0));
    }

    @Test
    void aStaleHashIsRefusedByTheOtherCommandsAndAcceptedAfterRehash() throws IOException {
        Path file = edited("net.bcnet");
        byte[] before = Files.readAllBytes(file);
        assertRefused(Cli.run("rtl", "--network", file.toString(), "--out", tmp.resolve("rtl0").toString()),
                "content does not match its hash");

        Path out = tmp.resolve("fixed");
        Cli r = Cli.run("network", "--rehash", file.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains(out.resolve("net.bcnet") + ": 16-8-10"), r.out());
        assertArrayEquals(before, Files.readAllBytes(file), "FILE stays as it was without --in-place");
        assertEquals(0, Cli.run("rtl", "--network", out.resolve("net.bcnet").toString(), "--out",
                tmp.resolve("rtl").toString()).exitCode());

        // a second rehash into the same folder replaces its own output; of a sound file, writes nothing
        assertEquals(0, Cli.run("network", "--rehash", file.toString(), "--out", out.toString()).exitCode());
        Cli again = Cli.run("network", "--rehash", out.resolve("net.bcnet").toString(), "--in-place");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("nothing written"), again.out());
    }

    @Test
    void inPlaceOnlyWhenAsked() throws IOException {
        Path file = edited("net.bcnet");
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        root.remove("hash");
        Files.writeString(file, JSON.writeValueAsString(root));
        Cli r = Cli.run("network", "--rehash", file.toString(), "--in-place");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("hash missing -> "), r.out());
        assertEquals(NetworkFile.read(file).hash(), JSON.readTree(file.toFile()).path("hash").asText());
        assertRefused(Cli.run("network", "--rehash", file.toString(), "--in-place", "--out", tmp.resolve("o").toString()),
                "--in-place writes over " + file + ": leave out --out");
    }

    @Test
    void aRealDefectIsStillRefusedAndNothingIsWritten() throws IOException {
        Path file = edited("bad.bcnet");
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        ((ArrayNode) root.path("layers").get(1).path("mul")).remove(0);
        Files.writeString(file, JSON.writeValueAsString(root));
        byte[] before = Files.readAllBytes(file);
        Path out = tmp.resolve("fixed");
        assertRefused(Cli.run("network", "--rehash", file.toString(), "--out", out.toString()),
                "\"mul\" must be an array of 10 integers");
        assertFalse(Files.exists(out));
        assertRefused(Cli.run("network", "--rehash", file.toString(), "--in-place"), "\"mul\" must be an array of 10 integers");
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "only the network file may be there");
        }
    }

    @Test
    void anotherCommandsFileIsNotReplacedWithoutForce() throws IOException {
        Path file = edited("network.bcnet");
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("network.bcnet"), "mine\n");
        assertRefused(Cli.run("network", "--rehash", file.toString(), "--out", out.toString()), "--force");
        assertEquals("mine\n", Files.readString(out.resolve("network.bcnet")));
    }
}
