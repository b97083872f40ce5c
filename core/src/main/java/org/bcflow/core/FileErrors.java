package org.bcflow.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Says why a file operation failed, in words. Java's file exceptions often carry only a path as
 * their message (an {@link AccessDeniedException} says "/out/x", not "permission denied"), so a
 * message built from {@code getMessage()} names the file twice and the reason never.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /**
     * The reason of {@code e}, such as "permission denied" or "no space left on device", followed
     * by the path it concerns when that is not {@code about} (the file the caller names itself).
     */
    public static String reason(IOException e, Path about) {
        String why = words(e);
        if (e instanceof FileSystemException f && f.getFile() != null && !same(f.getFile(), about)
                && (f.getOtherFile() == null || !same(f.getOtherFile(), about))) {
            return why + " (" + f.getFile() + ")";
        }
        return why;
    }

    private static boolean same(String file, Path about) {
        return about != null && Path.of(file).toAbsolutePath().normalize().equals(about.toAbsolutePath().normalize());
    }

    private static String words(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        String text = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        if (text == null || text.isBlank()) {
            return e instanceof FileSystemException ? "failed" : "input/output error";
        }
        text = text.strip().lines().findFirst().orElse(text);
        // The system's own words ("No space left on device", "Is a directory"), in the project's.
        return (Character.toLowerCase(text.charAt(0)) + text.substring(1)).replace("directory", "folder");
    }

    /** A {@link BcflowException} "VERB PATH: reason". */
    public static BcflowException failure(String verb, Path path, IOException e) {
        return new BcflowException(verb + " " + path + ": " + reason(e, path), e);
    }
}
