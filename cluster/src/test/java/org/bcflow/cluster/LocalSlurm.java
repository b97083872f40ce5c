package org.bcflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Slurm the tests run against: the one on PATH, started with scripts/slurm-local.sh when
 * it does not answer and we are root. Without sbatch the tests are skipped, except in CI (CI set),
 * where a missing Slurm is a failure.
 */
final class LocalSlurm {
    private static boolean ready;

    private LocalSlurm() {
    }

    static synchronized void require() throws Exception {
        if (ready) {
            return;
        }
        boolean ci = System.getenv("CI") != null;
        if (onPath("sbatch") == null && !ci) {
            Assumptions.abort("no sbatch on PATH (and CI unset): Slurm tests skipped");
        }
        if (!answers("sinfo")) {
            if (!isRoot()) {
                fail("Slurm does not answer and only root can start the local cluster (scripts/slurm-local.sh start)");
            }
            Path script = repoRoot().resolve("scripts/slurm-local.sh");
            Process p = new ProcessBuilder("bash", script.toString(), "start").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "slurm-local.sh start failed:\n" + out);
            if (!answers("sinfo")) {
                fail("Slurm still does not answer after slurm-local.sh start:\n" + out);
            }
        }
        ready = true;
    }

    /** Runs a command, returns its stdout; fails the test when it fails. */
    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed");
        }
        return out;
    }

    private static boolean answers(String command) {
        try {
            Process p = new ProcessBuilder(command, "-h").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean isRoot() throws Exception {
        return run("id", "-u").strip().equals("0");
    }

    static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The repository: the first folder upwards from the module holding scripts/slurm-local.sh. */
    static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("scripts/slurm-local.sh"))) {
                return d;
            }
        }
        throw new IllegalStateException("scripts/slurm-local.sh not found above " + Path.of("").toAbsolutePath());
    }

    static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
