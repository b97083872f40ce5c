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

    /**
     * Runs {@code command} as the leader of a process group of its own, so that it and everything
     * it starts (make, the compiler ...) are killed together: on a timeout, when the calling thread
     * is interrupted, and when this JVM ends for any reason ({@link Reaper}).
     */
    public static Result run(List<String> command, Path workDir, Path log, Duration timeout) {
        return run(command, workDir, log, timeout, Map.of());
    }

    /** As {@link #run(List, Path, Path, Duration)}, with these environment variables set (or replaced). */
    public static Result run(List<String> command, Path workDir, Path log, Duration timeout, Map<String, String> env) {
        Process p;
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(Reaper.inNewGroup(command))
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
            pb.environment().putAll(env);
            p = pb.start();
        } catch (IOException e) {
            throw new BcflowException("cannot run " + command.get(0) + ": " + e.getMessage());
        }
        Reaper.watchGroup(p.pid());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new BcflowException(Path.of(command.get(0)).getFileName() + " did not finish within "
                        + timeout.toSeconds() + " s (log: " + log + ")");
            }
            return new Result(p.exitValue(), Files.readString(log), log);
        } catch (IOException e) {
            throw new BcflowException("cannot read the log of " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new BcflowException("interrupted while running " + command.get(0));
        } finally {
            Reaper.forgetGroup(p.pid());
        }
    }

    private static void kill(Process p) {
        Reaper.killGroup(p.pid());
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
