package org.bcflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real Slurm (see {@link LocalSlurm}): submitted arrays, a scancel mid-run, failures, refusals. */
class SlurmExecutorTest {
    @TempDir
    Path dir;

    @BeforeEach
    void slurm() throws Exception {
        LocalSlurm.require();
    }

    private Task task(String id, String script, String... args) {
        Path result = dir.resolve("results").resolve(id + ".txt");
        List<String> command = new ArrayList<>(List.of("bash", "-c", "R=\"$1\"; D=\"$2\"; shift 2; " + script, "task",
                result.toString(), dir.toString()));
        command.addAll(List.of(args));
        return new Task(id, command, result);
    }

    private static String writeResult(String content) {
        return "mkdir -p \"$(dirname \"$R\")\" && printf '%s' " + content + " > \"$R.tmp\" && mv \"$R.tmp\" \"$R\"";
    }

    private static SlurmExecutor.Options options(int retries, int parallel, boolean dryRun, List<String> extra) {
        return new SlurmExecutor.Options(null, "00:05:00", null, extra, retries, parallel, dryRun, Duration.ofMillis(500));
    }

    @Test
    void runsAnArrayOfSixTasks() throws Exception {
        // one argument with everything the task file's quoting must carry through: blanks, quotes, $, a newline
        String awkward = "it's \"a\" $HOME `test`\\ \nsecond line";
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tasks.add(task("t" + i, writeResult("t" + i)));
        }
        tasks.add(task("awkward", writeResult("\"$1\""), awkward));
        List<String> submitted = new ArrayList<>();
        List<Outcome> seen = Collections.synchronizedList(new ArrayList<>());
        SlurmExecutor executor = new SlurmExecutor(options(1, 2, false, List.of()))
                .onSubmit((job, ids) -> submitted.add(job + " " + ids));
        assertEquals("slurm, default partition, at most 2 tasks at once, time 00:05:00", executor.describe());
        List<Outcome> outcomes = executor.run(tasks, dir.resolve("work"), seen::add);
        for (int i = 0; i < 6; i++) {
            Outcome o = outcomes.get(i);
            assertEquals(tasks.get(i), o.task());
            assertTrue(o.done(), o.toString());
            assertEquals(1, o.attempts());
            assertNull(o.error());
        }
        assertEquals("t3", Files.readString(tasks.get(3).resultFile()));
        assertEquals(awkward, Files.readString(tasks.get(5).resultFile()));
        assertEquals(1, submitted.size(), "one array: " + submitted);
        assertTrue(submitted.get(0).endsWith("[t0, t1, t2, t3, t4, awkward]"), submitted.get(0));
        assertEquals(6, seen.size());
        String script = Files.readString(dir.resolve("work/slurm/batch-1.sh"));
        assertTrue(script.contains("#SBATCH --array=0-5%2\n"), script);
        assertTrue(script.contains("#SBATCH --time=00:05:00\n"), script);
        assertEquals(6, Files.readAllLines(dir.resolve("work/slurm/batch-1.tasks")).size());
        assertTrue(Files.exists(dir.resolve("work/logs/t0.out")));
        assertEquals("slurm, default partition, array of 6 (at most 2 at once), time 00:05:00", executor.describe());

        // a second run finds everything done and submits nothing
        List<Outcome> again = executor.run(tasks, dir.resolve("work"), null);
        assertTrue(again.stream().allMatch(o -> o.done() && o.attempts() == 0));
        assertEquals(1, submitted.size());
    }

    @Test
    void retriesATaskCancelledMidRun() throws Exception {
        Task slow = task("slow", "echo started; sleep 5; " + writeResult("slow"));
        Task quick = task("quick", writeResult("quick"));
        Task other = task("other", "sleep 1; " + writeResult("other"));
        AtomicReference<Thread> canceller = new AtomicReference<>();
        List<String> jobs = Collections.synchronizedList(new ArrayList<>());
        Path slowOut = dir.resolve("work/logs/slow.out");
        SlurmExecutor executor = new SlurmExecutor(options(2, 0, false, List.of())).onSubmit((job, ids) -> {
            jobs.add(job);
            if (jobs.size() == 1) {
                // once the slow task runs, scancel just that array task
                String target = job + "_" + ids.indexOf("slow");
                Thread t = new Thread(() -> {
                    try {
                        for (int i = 0; i < 300 && !(Files.exists(slowOut) && Files.readString(slowOut).contains("started")); i++) {
                            Thread.sleep(100);
                        }
                        LocalSlurm.run("scancel", target);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                t.start();
                canceller.set(t);
            }
        });
        List<Outcome> outcomes = executor.run(List.of(quick, slow, other), dir.resolve("work"), null);
        canceller.get().join();
        assertEquals(2, jobs.size(), "the cancelled task went into a second array: " + jobs);
        String first = LocalSlurm.run("squeue", "-h", "-t", "all", "-j", jobs.get(0), "-O", "ArrayTaskID:|,State:");
        assertTrue(first.contains("1|CANCELLED"), first);
        Outcome o = outcomes.get(1);
        assertTrue(o.done(), o.toString());
        assertEquals(2, o.attempts());
        assertTrue(outcomes.get(0).done() && outcomes.get(0).attempts() == 1, outcomes.get(0).toString());
        assertTrue(outcomes.get(2).done() && outcomes.get(2).attempts() == 1, outcomes.get(2).toString());
        assertEquals("slow", Files.readString(slow.resultFile()));
        assertEquals(2, LocalSlurm.lines(Files.readString(slowOut)).size(), "started twice, output appended");
    }

    @Test
    void failsATaskThatAlwaysFailsWithSlurmsWordsAndItsStderr() throws Exception {
        Task bad = task("bad", "echo run >> \"$D/count\"; echo \"bad thing happened\" >&2; exit 3");
        Task good = task("good", writeResult("good"));
        List<String> jobs = new ArrayList<>();
        List<Outcome> outcomes = new SlurmExecutor(options(1, 0, false, List.of()))
                .onSubmit((job, ids) -> jobs.add(job + " " + ids)).run(List.of(bad, good), dir.resolve("work"), null);
        Outcome o = outcomes.get(0);
        assertFalse(o.done());
        assertEquals(2, o.attempts());
        assertEquals("Slurm: FAILED, exit 3; bad thing happened", o.error());
        assertEquals(2, Files.readAllLines(dir.resolve("count")).size());
        assertTrue(outcomes.get(1).done());
        assertTrue(jobs.get(1).endsWith("[bad]"), "only the failed task again: " + jobs);
    }

    @Test
    void dryRunPrintsTheScriptAndSubmitsNothing() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<String> jobs = new ArrayList<>();
        SlurmExecutor executor = new SlurmExecutor(new SlurmExecutor.Options("debug", null, "1G", List.of("--nice=10"),
                1, 3, true, Duration.ofMillis(500))).onSubmit((job, ids) -> jobs.add(job))
                .dryRunOutput(new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<Outcome> outcomes = executor.run(List.of(task("a", writeResult("a")), task("b", writeResult("b"))),
                dir.resolve("work"), null);
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("#SBATCH --array=0-1%3\n"), text);
        assertTrue(text.contains("#SBATCH --partition=debug\n"), text);
        assertTrue(text.contains("#SBATCH --mem=1G\n"), text);
        assertTrue(text.contains("#SBATCH --nice=10\n"), text);
        assertTrue(text.contains("bash -c 'R=\"$1\""), "the task list: " + text);
        for (Outcome o : outcomes) {
            assertFalse(o.done());
            assertEquals(0, o.attempts());
            assertEquals("dry run", o.error());
        }
        assertTrue(jobs.isEmpty());
        // no job of Slurm's runs this script
        Path script = dir.resolve("work/slurm/batch-1.sh");
        assertTrue(Files.exists(script));
        String commands = LocalSlurm.run("squeue", "-h", "-t", "all", "-o", "%o");
        assertFalse(commands.contains(script.toString()), commands);
        assertTrue(executor.describe().endsWith("dry run"), executor.describe());
    }

    @Test
    void aRefusedSubmissionIsOneLineNamingSbatch() {
        SlurmExecutor executor = new SlurmExecutor(options(1, 0, false, List.of("--partition=nosuchpartition")));
        BcflowException e = assertThrows(BcflowException.class,
                () -> executor.run(List.of(task("a", writeResult("a"))), dir.resolve("work"), null));
        assertTrue(e.getMessage().startsWith("sbatch refused the job: "), e.getMessage());
        assertTrue(e.getMessage().contains("partition"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void withoutSbatchOnPathSlurmIsNotReachable() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        Path empty = Files.createDirectories(dir.resolve("empty-bin"));
        env.put("PATH", empty.toString());
        SlurmExecutor executor = new SlurmExecutor(options(1, 0, false, List.of())).environment(env);
        BcflowException e = assertThrows(BcflowException.class,
                () -> executor.run(List.of(task("a", writeResult("a"))), dir.resolve("work"), null));
        assertEquals("Slurm not reachable: sbatch is not on PATH", e.getMessage());
        assertFalse(Files.exists(dir.resolve("results/a.txt")));
    }
}
