package org.bcflow.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * One unit of work: a command run as its own process; it is done once it has written
 * {@code resultFile} (atomically, so that a file that exists is a whole result).
 *
 * <p>The id names the task's log files ({@code logs/<id>.out} and {@code .err}), so it is limited
 * to letters, digits, '.', '_' and '-'.
 */
public record Task(String id, List<String> command, Path resultFile) {
    public Task {
        if (id == null || !id.matches("[A-Za-z0-9._-]+") || id.startsWith(".")) {
            throw new IllegalArgumentException("a task id must be letters, digits, '.', '_' or '-', not starting with '.': " + id);
        }
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("task " + id + " has no command");
        }
        command = List.copyOf(command);
        if (resultFile == null) {
            throw new IllegalArgumentException("task " + id + " has no result file");
        }
    }
}
