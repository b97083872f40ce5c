package org.bcflow.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A driver JVM stopped mid-run (SIGTERM, as Ctrl-C) must leave none of its tasks' processes behind. */
class LocalExecutorShutdownTest {
    @TempDir
    Path dir;

    /** The driver: runs one task that starts a grandchild and records both pids, then sleeps. */
    public static void main(String[] args) {
        Path d = Path.of(args[0]);
        String script = "sleep 300 & echo $$ $! > \"$1/pids.tmp\"; mv \"$1/pids.tmp\" \"$1/pids\"; wait";
        new LocalExecutor(1, 0).run(List.of(new Task("sleeper", List.of("bash", "-c", script, "t", d.toString()),
                d.resolve("never"))), d.resolve("work"), null);
    }

    @Test
    void killedDriverLeavesNoProcess() throws Exception {
        Path javaExe = Path.of(System.getProperty("java.home"), "bin", "java");
        Process driver = new ProcessBuilder(javaExe.toString(), "-cp", System.getProperty("java.class.path"),
                LocalExecutorShutdownTest.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("driver.log").toFile()).start();
        Path pids = dir.resolve("pids");
        for (int i = 0; i < 200 && !Files.exists(pids); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(pids), "the task never started: " + Files.readString(dir.resolve("driver.log")));
        long[] ids = java.util.Arrays.stream(Files.readString(pids).strip().split(" ")).mapToLong(Long::parseLong).toArray();
        for (long id : ids) {
            assertTrue(ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false));
        }
        driver.destroy();  // SIGTERM
        assertTrue(driver.waitFor(20, TimeUnit.SECONDS));
        for (long id : ids) {
            // a zombie briefly awaiting its reaper counts as gone
            boolean gone = false;
            for (int i = 0; i < 100 && !gone; i++) {
                gone = ProcessHandle.of(id).map(p -> !p.isAlive()).orElse(true) || isZombie(id);
                if (!gone) {
                    Thread.sleep(50);
                }
            }
            assertTrue(gone, "process " + id + " outlived the driver");
        }
        assertFalse(Files.exists(dir.resolve("never")));
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (Exception e) {
            return true;
        }
    }
}
