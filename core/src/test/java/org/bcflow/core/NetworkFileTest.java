package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsExactly() {
        Network net = RandomNetwork.create(2, new int[] {30, 9, 5}, new int[] {8, 2});
        Path f = dir.resolve("n.bcnet");
        NetworkFile.write(net, f);
        Network back = NetworkFile.read(f);
        assertEquals(net.layers(), back.layers());
        assertEquals(net.hash(), back.hash());
        assertEquals(net.metadata(), back.metadata());
    }

    @Test
    void editedFileIsRefused() throws IOException {
        Network net = RandomNetwork.create(2, new int[] {30, 9, 5}, new int[] {8, 2});
        Path f = dir.resolve("n.bcnet");
        NetworkFile.write(net, f);
        String text = Files.readString(f);
        String first = net.layer(0).weights().rowHex(0);
        char flipped = first.charAt(0) == '0' ? '1' : '0';
        Files.writeString(f, text.replaceFirst(first, flipped + first.substring(1)));
        BcflowException e = assertThrows(BcflowException.class, () -> NetworkFile.read(f));
        assertTrue(e.getMessage().contains("does not match its hash"), e.getMessage());
    }

    @Test
    void missingOrForeignFilesGiveOneLine() throws IOException {
        BcflowException e = assertThrows(BcflowException.class, () -> NetworkFile.read(dir.resolve("none.bcnet")));
        assertEquals("network file not found: " + dir.resolve("none.bcnet"), e.getMessage());
        Path junk = Files.writeString(dir.resolve("junk"), "not json at all {");
        e = assertThrows(BcflowException.class, () -> NetworkFile.read(junk));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        Path other = Files.writeString(dir.resolve("other.json"), "{\"format\": \"onnx\"}");
        e = assertThrows(BcflowException.class, () -> NetworkFile.read(other));
        assertTrue(e.getMessage().contains("not a bcnet network file"), e.getMessage());
    }

    @Test
    void writeLeavesNoTemporaryFiles() throws IOException {
        NetworkFile.write(RandomNetwork.create(1, new int[] {4, 2}, new int[] {8}), dir.resolve("a.bcnet"));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
