package org.bcflow.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bcflow.core.BcflowException;

/** Runs an external tool without a shell, with a timeout, its output kept in a log file. */
final class ProcessRunner {
    private ProcessRunner() {
    }

    /** The result of one run: exit code and everything it printed (stdout and stderr merged). */
    record Result(int exitCode, String output, Path log) {
    }

    static Result run(List<String> command, Path workDir, Path log, Duration timeout) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new BcflowException(command.get(0) + " did not finish within " + timeout.toSeconds()
                        + " s (log: " + log + ")");
            }
            return new Result(p.exitValue(), Files.readString(log), log);
        } catch (IOException e) {
            throw new BcflowException("cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BcflowException("interrupted while running " + command.get(0));
        }
    }

    /** Finds an executable through an environment variable, then PATH; null when absent. */
    static Path locate(java.util.Map<String, String> environment, String envVar, String name) {
        String env = environment.get(envVar);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isExecutable(p) ? p : null;
        }
        String path = environment.get("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
