package org.bcflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reachability check with stand-in commands: it needs no Slurm, so it runs everywhere. */
class SlurmReachabilityTest {
    @TempDir
    Path dir;

    private void command(String name, String body) throws Exception {
        Path p = dir.resolve("bin").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private BcflowException runWithPath() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", dir.resolve("bin") + ":/usr/bin:/bin");
        SlurmExecutor executor = new SlurmExecutor(new SlurmExecutor.Options(null, null, null, List.of(), 0, 0, false,
                Duration.ofMillis(200))).environment(env);
        Task t = new Task("a", List.of("true"), dir.resolve("a.txt"));
        return assertThrows(BcflowException.class, () -> executor.run(List.of(t), dir.resolve("work"), null));
    }

    @Test
    void aSqueueThatFailsIsNamedWithItsError() throws Exception {
        command("sbatch", "exit 0");
        command("squeue", "echo 'squeue: error: Unable to contact slurm controller (connect failure)' >&2; exit 1");
        // ours come first on PATH, so a real Slurm behind them is never asked
        assertEquals("Slurm not reachable: squeue -h failed: squeue: error: Unable to contact slurm controller "
                + "(connect failure)", runWithPath().getMessage());
    }

    @Test
    void sbatchMissingWhileSqueueExists() throws Exception {
        command("squeue", "exit 0");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", dir.resolve("bin").toString());
        SlurmExecutor executor = new SlurmExecutor(new SlurmExecutor.Options(null, null, null, List.of(), 0, 0, false,
                Duration.ofMillis(200))).environment(env);
        Task t = new Task("a", List.of("true"), dir.resolve("a.txt"));
        BcflowException e = assertThrows(BcflowException.class, () -> executor.run(List.of(t), dir.resolve("work"), null));
        assertEquals("Slurm not reachable: sbatch is not on PATH", e.getMessage());
    }
}
