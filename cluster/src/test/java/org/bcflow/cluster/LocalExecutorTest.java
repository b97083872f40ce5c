package org.bcflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalExecutorTest {
    @TempDir
    Path dir;

    /** A task running a bash script; $R is its result file, $D the test folder. */
    private Task task(String id, String script) {
        Path result = dir.resolve("results").resolve(id + ".txt");
        return new Task(id, List.of("bash", "-c", "R=\"$1\"; D=\"$2\"; " + script, "task", result.toString(),
                dir.toString()), result);
    }

    private static String writeResult(String content) {
        return "mkdir -p \"$(dirname \"$R\")\" && echo " + content + " > \"$R.tmp\" && mv \"$R.tmp\" \"$R\"";
    }

    @Test
    void runsEveryTaskAtMostJobsAtOnce() throws IOException {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // each task counts the tasks running beside it (markers in D/running) and writes that count
            tasks.add(task("t" + i, "mkdir -p \"$D/running\"; touch \"$D/running/$$\"; sleep 0.3; "
                    + "n=$(ls \"$D/running\" | wc -l); rm \"$D/running/$$\"; " + writeResult("$n")));
        }
        List<Outcome> seen = Collections.synchronizedList(new ArrayList<>());
        List<Outcome> outcomes = new LocalExecutor(2, 1).run(tasks, dir.resolve("work"), seen::add);
        assertEquals(6, outcomes.size());
        int most = 0;
        for (int i = 0; i < 6; i++) {
            Outcome o = outcomes.get(i);
            assertEquals(tasks.get(i), o.task(), "outcomes in the order given");
            assertTrue(o.done(), o.toString());
            assertEquals(1, o.attempts());
            assertNull(o.error());
            most = Math.max(most, Integer.parseInt(Files.readString(tasks.get(i).resultFile()).strip()));
            assertTrue(Files.exists(dir.resolve("work/logs/t" + i + ".out")));
            assertTrue(Files.exists(dir.resolve("work/logs/t" + i + ".err")));
        }
        assertEquals(2, most, "two processes at once, never more");
        assertEquals(6, seen.size(), "progress once per task");
        assertEquals("local, 2 processes", new LocalExecutor(2, 1).describe());
    }

    @Test
    void retriesATaskThatFailedOnce() throws IOException {
        Task flaky = task("flaky", "if [ -e \"$D/tried\" ]; then " + writeResult("ok")
                + "; else touch \"$D/tried\"; echo first try fails >&2; exit 1; fi");
        Outcome o = new LocalExecutor(2, 2).run(List.of(flaky), dir.resolve("work"), null).get(0);
        assertTrue(o.done(), o.toString());
        assertEquals(2, o.attempts());
        // both attempts' stderr kept: the logs are appended to
        assertTrue(Files.readString(dir.resolve("work/logs/flaky.err")).contains("first try fails"));
    }

    @Test
    void failsATaskThatAlwaysFailsWithItsLastStderrLine() throws IOException {
        Task bad = task("bad", "echo run >> \"$D/count\"; echo \"bad thing happened\" >&2; echo >&2; exit 3");
        Task silent = task("silent", "exit 4");
        Task lazy = task("lazy", "exit 0");
        List<Outcome> outcomes = new LocalExecutor(2, 2).run(List.of(bad, silent, lazy), dir.resolve("work"), null);
        Outcome o = outcomes.get(0);
        assertFalse(o.done());
        assertEquals(3, o.attempts(), "retries + 1 attempts");
        assertEquals("bad thing happened", o.error());
        assertEquals(3, Files.readAllLines(dir.resolve("count")).size());
        assertEquals("exit 4", outcomes.get(1).error(), "no stderr: the exit status");
        assertTrue(outcomes.get(2).error().startsWith("exit 0 without writing"), outcomes.get(2).error());
    }

    @Test
    void doesNotRerunTasksAlreadyDone() throws IOException {
        Task counted = task("counted", "echo run >> \"$D/count\"; " + writeResult("ok"));
        LocalExecutor executor = new LocalExecutor(1, 0);
        assertEquals(1, executor.run(List.of(counted), dir.resolve("work"), null).get(0).attempts());
        List<Outcome> seen = new ArrayList<>();
        Outcome again = executor.run(List.of(counted), dir.resolve("work"), seen::add).get(0);
        assertTrue(again.done());
        assertEquals(0, again.attempts());
        assertEquals(List.of(again), seen, "progress also for a task already done");
        assertEquals(1, Files.readAllLines(dir.resolve("count")).size(), "run once only");
    }

    @Test
    void aMissingCommandIsAFailureNotACrash() {
        Task missing = new Task("missing", List.of("/no/such/command"), dir.resolve("r"));
        Outcome o = new LocalExecutor(1, 1).run(List.of(missing), dir.resolve("work"), null).get(0);
        assertFalse(o.done());
        assertEquals(2, o.attempts());
        assertTrue(o.error().contains("/no/such/command"), o.error());
    }
}
