package org.bcflow.cluster;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bcflow.core.BcflowException;

/**
 * Runs the Slurm client commands (sbatch, squeue, sacct, scancel), found on the PATH of the
 * environment given rather than the JVM's: jobs inherit that environment, and a test can take
 * Slurm away by changing it.
 */
final class SlurmClient {
    /** A client command that hangs (controller unreachable) must not hang the campaign forever. */
    private static final long TIMEOUT_SECONDS = 120;

    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        /** The first line of stderr that says "error", else the first non-empty one: what to put in a message. */
        String errorLine() {
            String first = null;
            for (String line : err.split("\n")) {
                String l = line.strip();
                if (l.isEmpty()) {
                    continue;
                }
                if (l.toLowerCase().contains("error")) {
                    return l;
                }
                if (first == null) {
                    first = l;
                }
            }
            return first != null ? first : "exit " + exit;
        }
    }

    private final Map<String, String> env;

    SlurmClient(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    Map<String, String> env() {
        return env;
    }

    /** The command's path on this environment's PATH, or null. */
    Path find(String name) {
        String path = env.get("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Runs {@code name args...}; a command that cannot be run at all is a BcflowException. */
    Result run(String name, List<String> args) {
        Path exe = find(name);
        if (exe == null) {
            throw new BcflowException(name + " is not on PATH");
        }
        List<String> command = new ArrayList<>();
        command.add(exe.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BcflowException("cannot run " + name + ": " + e.getMessage());
        }
        // both streams read aside: a full pipe must not block the command, nor a hung command the timeout
        CompletableFuture<String> out = readAside(p.getInputStream());
        CompletableFuture<String> err = readAside(p.getErrorStream());
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BcflowException(name + " did not answer within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BcflowException("interrupted while running " + name);
        }
    }

    private static CompletableFuture<String> readAside(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread t = new Thread(() -> text.complete(read(in)), "bcflow-slurm-client");
        t.setDaemon(true);
        t.start();
        return text;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
