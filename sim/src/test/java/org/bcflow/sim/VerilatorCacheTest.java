package org.bcflow.sim;

import java.util.List;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cached Verilator build is used only while it is the binary that was built: a corrupted one
 * is rebuilt, never trusted. Each test has its own cache, so that no other test's entry is touched.
 */
class VerilatorCacheTest {
    @TempDir
    Path tmp;

    private final Network net = RandomNetwork.create(11, new int[] {16, 6, 4}, new int[] {8, 3});
    private final LabeledImages images = VerifierTest.images(3, 4, 4, 13);
    private Path rtl;
    private Verifier verifier;

    @BeforeEach
    void generate() {
        VerilatorRequired.check();
        rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, Folding.forInputRate(net, List.of(2, 2), List.of(4, 3), 1), rtl);
        verifier = new Verifier(tmp.resolve("cache"), Duration.ofMinutes(5));
    }

    /** Verifies once (a fresh build) and returns the cached simulator binary. */
    private Path buildOnce() {
        VerifyReport first = verifier.verify(rtl, images, images.count());
        assertTrue(first.passed());
        assertFalse(first.build().cached());
        return Path.of(first.build().dir()).resolve("obj_dir").resolve("Vsim");
    }

    @Test
    void aTruncatedCachedBinaryIsRebuilt() throws IOException {
        Path binary = buildOnce();
        try (FileChannel ch = FileChannel.open(binary, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        VerifyReport again = verifier.verify(rtl, images, images.count());
        assertTrue(again.passed(), "the corrupted build was used");
        assertFalse(again.build().cached(), "the corrupted build must be rebuilt");
        assertEquals(0, again.mismatches());
        assertTrue(again.build().note().startsWith("the cached simulator's SHA-256 is "), again.build().note());
        // the rebuilt entry is trusted again
        VerifyReport third = verifier.verify(rtl, images, images.count());
        assertTrue(third.build().cached());
        assertNull(third.build().note());
    }

    @Test
    void overwrittenBytesAreFoundToo() throws IOException {
        Path binary = buildOnce();
        try (FileChannel ch = FileChannel.open(binary, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // every bit of 64 bytes inverted: zeros written there could be what the middle of the binary already holds
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(64);
            ch.read(bytes, ch.size() / 2);
            for (int i = 0; i < 64; i++) {
                bytes.put(i, (byte) ~bytes.get(i));
            }
            bytes.rewind();
            ch.write(bytes, ch.size() / 2);
        }
        VerifyReport again = verifier.verify(rtl, images, images.count());
        assertTrue(again.passed());
        assertFalse(again.build().cached());
    }

    @Test
    void aCachedBuildWithoutARecordedChecksumIsRebuilt() throws IOException {
        Path binary = buildOnce();
        Files.delete(binary.getParent().getParent().resolve(Verilator.CHECKSUM_FILE));
        VerifyReport again = verifier.verify(rtl, images, images.count());
        assertTrue(again.passed());
        assertFalse(again.build().cached());
        assertEquals("the cached build has no recorded checksum", again.build().note());
    }

    @Test
    void aCachedBinaryThatCrashesIsRebuiltOnceAndTheRunRetried() throws IOException {
        // damage the checksum cannot see (it was recorded after it): a binary that dies of SIGSEGV
        Path binary = buildOnce();
        Files.writeString(binary, "#!/bin/sh\nkill -SEGV $$\n");
        Files.writeString(binary.getParent().getParent().resolve(Verilator.CHECKSUM_FILE),
                java.util.HexFormat.of().formatHex(sha256(binary)) + "\n");
        VerifyReport again = verifier.verify(rtl, images, images.count());
        assertTrue(again.passed(), again.failures().toString());
        assertFalse(again.build().cached());
        assertTrue(again.build().note().startsWith("the cached simulator crashed (simulation failed (exit 139, killed by signal 11)"),
                again.build().note());
    }

    private static byte[] sha256(Path file) throws IOException {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
