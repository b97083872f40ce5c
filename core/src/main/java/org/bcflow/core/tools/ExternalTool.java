package org.bcflow.core.tools;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bcflow.core.BcflowException;

/**
 * Runs external tools (Verilator, Icarus, Yosys, nextpnr) without a shell, each with a timeout
 * and its output kept in a log file, and finds them through an environment variable, then PATH.
 */
public final class ExternalTool {
    private ExternalTool() {
    }

    /** One run: exit code and everything it printed (stdout and stderr merged, also in {@code log}). */
    public record Result(int exitCode, String output, Path log) {
    }

    public static Result run(List<String> command, Path workDir, Path log, Duration timeout) {
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
                throw new BcflowException(Path.of(command.get(0)).getFileName() + " did not finish within "
                        + timeout.toSeconds() + " s (log: " + log + ")");
            }
            return new Result(p.exitValue(), Files.readString(log), log);
        } catch (IOException e) {
            throw new BcflowException("cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BcflowException("interrupted while running " + command.get(0));
        }
    }

    /** An executable named by an environment variable, else found on PATH; null when absent. */
    public static Path locate(Map<String, String> environment, String envVar, String name) {
        String env = environment.get(envVar);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isExecutable(p) ? p : null;
        }
        String path = environment.get("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Like {@link #locate} but a missing tool is a one-line error naming the package to install. */
    public static Path require(Map<String, String> environment, String envVar, String name, String aptPackage) {
        Path p = locate(environment, envVar, name);
        if (p == null) {
            String env = environment.get(envVar);
            throw new BcflowException(name + " not found" + (env != null && !env.isBlank() ? " at " + envVar + "=" + env
                    : " on PATH") + ": install it with apt-get install -y --no-install-recommends " + aptPackage
                    + " (or set " + envVar + ")");
        }
        return p;
    }
}
