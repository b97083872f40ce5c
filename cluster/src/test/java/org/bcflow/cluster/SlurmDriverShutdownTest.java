package org.bcflow.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bcflow.core.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A driver stopped mid-run (SIGTERM, as Ctrl-C) cancels the Slurm jobs it submitted. */
class SlurmDriverShutdownTest {
    @TempDir
    Path dir;

    /** The driver: one long task on Slurm; the job id goes to a file the test reads. */
    public static void main(String[] args) {
        Path d = Path.of(args[0]);
        Task t = new Task("long", List.of("bash", "-c", "echo started; sleep 120; echo x > \"$1\"", "t",
                d.resolve("never").toString()), d.resolve("never"));
        new SlurmExecutor(new SlurmExecutor.Options(null, null, null, List.of(), 0, 0, false, Duration.ofMillis(500)))
                .onSubmit((job, ids) -> AtomicFiles.writeString(d.resolve("job"), job))
                .run(List.of(t), d.resolve("work"), null);
    }

    @Test
    void killedDriverCancelsItsJobs() throws Exception {
        LocalSlurm.require();
        Path javaExe = Path.of(System.getProperty("java.home"), "bin", "java");
        Process driver = new ProcessBuilder(javaExe.toString(), "-cp", System.getProperty("java.class.path"),
                SlurmDriverShutdownTest.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("driver.log").toFile()).start();
        Path out = dir.resolve("work/logs/long.out");
        for (int i = 0; i < 300 && !(Files.exists(out) && Files.readString(out).contains("started")); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(dir.resolve("job")), "never submitted: " + Files.readString(dir.resolve("driver.log")));
        assertTrue(Files.readString(out).contains("started"), "the task never started");
        String job = Files.readString(dir.resolve("job")).strip();
        driver.destroy();  // SIGTERM
        assertTrue(driver.waitFor(60, TimeUnit.SECONDS));
        String state = "";
        for (int i = 0; i < 100 && !state.startsWith("CANCELLED"); i++) {
            state = LocalSlurm.run("squeue", "-h", "-t", "all", "-j", job, "-O", "State").strip();
            Thread.sleep(100);
        }
        assertTrue(state.startsWith("CANCELLED"), "job " + job + " is " + state);
        assertFalse(Files.exists(dir.resolve("never")));
    }
}
