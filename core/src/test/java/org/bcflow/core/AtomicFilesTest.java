package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails says why, in one line (the tests run as root, so permissions are checked through the reasons). */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private static void says(BcflowException e, String start, String reason) {
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertTrue(e.getMessage().contains(reason), "'" + reason + "' missing from: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aFileWhereAFolderShouldBeIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path target = file.resolve("out.txt");
        assertEquals("cannot write " + target + ": not a folder (" + file + ")",
                assertThrows(BcflowException.class, () -> AtomicFiles.writeString(target, "y")).getMessage());
        Path folder = file.resolve("rtl");
        says(assertThrows(BcflowException.class, () -> AtomicFiles.writeFolder(folder, d -> Files.writeString(d.resolve("a"), "a"))),
                "cannot write " + folder + ": ", "not a folder");
        Path deeper = file.resolve("sub").resolve("out.txt");
        says(assertThrows(BcflowException.class, () -> AtomicFiles.writeString(deeper, "y")), "cannot write " + deeper + ": ",
                "not a folder");
    }

    @Test
    void aFolderWhereAFileShouldBeIsNamed() throws IOException {
        Path target = Files.createDirectories(dir.resolve("report.json"));
        assertEquals("cannot write " + target + ": is a folder",
                assertThrows(BcflowException.class, () -> AtomicFiles.writeString(target, "{}")).getMessage());
        assertTrue(Files.isDirectory(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "a temporary file was left behind");
        }
    }

    @Test
    void reasonsAreWordsNotPaths() {
        Path p = Path.of("/data/out/model.ckpt");
        assertEquals("permission denied", FileErrors.reason(new AccessDeniedException(p.toString()), p));
        assertEquals("permission denied (/data/out)", FileErrors.reason(new AccessDeniedException("/data/out"), p));
        assertEquals("no such file or folder (/data/out)", FileErrors.reason(new NoSuchFileException("/data/out"), p));
        assertEquals("no space left on device",
                FileErrors.reason(new FileSystemException(p.toString(), null, "No space left on device"), p));
        assertEquals("read-only file system",
                FileErrors.reason(new FileSystemException(p.toString(), null, "Read-only file system"), p));
        assertEquals("disk on fire", FileErrors.reason(new IOException("disk on fire"), p));
        assertEquals("input/output error", FileErrors.reason(new IOException(), p));
    }
}
