package org.bcflow.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes files and folders so that a reader never sees half of one: everything goes to a
 * temporary name beside the target first and is then renamed over it.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            createFolders(dir);
            // a name of our own rather than createTempFile, so that the file gets the usual permissions
            Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + Thread.currentThread().getId() + ".tmp");
            try {
                Files.write(tmp, content);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw FileErrors.failure("cannot write", target, e);
        }
    }

    public static void writeString(Path target, String content) {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Fills a folder through {@code filler}, then puts it in place of {@code target} in one rename. */
    public static void writeFolder(Path target, FolderFiller filler) {
        Path abs = target.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".partial");
        try {
            createFolders(abs.getParent());
            deleteTree(tmp);
            Files.createDirectories(tmp);
            filler.fill(tmp);
            Path old = abs.resolveSibling("." + abs.getFileName() + ".old");
            deleteTree(old);
            if (Files.exists(abs)) {
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } catch (IOException e) {
            throw FileErrors.failure("cannot write", target, e);
        } finally {
            try {
                deleteTree(tmp);
            } catch (BcflowException cleanup) {
                // the failure that brought us here says more; the next write replaces the leftover
            }
        }
    }

    /** Creates a folder and its parents; a file in the way is "not a folder", not "already exists". */
    private static void createFolders(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new NotDirectoryException(e.getFile());
        }
    }

    /** Writes the files of a folder under construction. */
    @FunctionalInterface
    public interface FolderFiller {
        void fill(Path folder) throws IOException;
    }

    /** Deletes a file or a folder with everything in it; a failure is a {@link BcflowException} saying why. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw FileErrors.failure("cannot delete", root, e);
        } catch (UncheckedIOException e) {
            throw FileErrors.failure("cannot delete", root, e.getCause());
        }
    }
}
