package org.bcflow.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bcflow.core.BcflowException;
import org.bcflow.core.FileErrors;

/**
 * The log files of a work folder ({@code logs/<id>.out} and {@code .err}). They are appended to,
 * so every attempt of a task stays readable; an attempt's error is read from where its stderr began.
 */
final class TaskLogs {
    /** Error lines are cut here: a report line, not a stack dump. */
    private static final int MAX_LINE = 300;

    private final Path dir;

    TaskLogs(Path workDir) {
        this.dir = workDir.toAbsolutePath().normalize().resolve("logs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BcflowException("cannot create the log folder " + dir + ": " + FileErrors.reason(e, dir));
        }
    }

    Path dir() {
        return dir;
    }

    Path out(Task task) {
        return dir.resolve(task.id() + ".out");
    }

    Path err(Task task) {
        return dir.resolve(task.id() + ".err");
    }

    /** The size of the task's stderr log now: where the next attempt's stderr begins. */
    long errSize(Task task) {
        try {
            return Files.exists(err(task)) ? Files.size(err(task)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last non-empty line the task wrote to stderr from {@code from} on, or null. */
    String lastErrLine(Task task, long from) {
        Path file = err(task);
        if (!Files.exists(file)) {
            return null;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            // only the tail: a chatty task must not make us read megabytes for one line
            long start = Math.max(from, f.length() - 64 * 1024);
            byte[] bytes = new byte[(int) Math.max(0, f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n|\r");
            for (int i = lines.length - 1; i >= 0; i--) {
                String line = lines[i].strip();
                if (!line.isEmpty()) {
                    return line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Ids name files, so two tasks with one id would mix their logs: refused. */
    static void checkUnique(List<Task> tasks) {
        Set<String> seen = new HashSet<>();
        for (Task t : tasks) {
            if (!seen.add(t.id())) {
                throw new IllegalArgumentException("two tasks with the id " + t.id());
            }
        }
    }
}
