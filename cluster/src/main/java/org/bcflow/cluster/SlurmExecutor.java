package org.bcflow.cluster;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.bcflow.core.BcflowException;

/**
 * Runs tasks as Slurm job arrays: one array for the tasks not done yet, then, after every task of
 * it has ended, a new array of those that did not write their result file, up to {@code retries}
 * times. Task states come from squeue (or sacct where the cluster keeps accounting); the result
 * file decides whether a task is done, since a task can be lost without Slurm calling it failed.
 */
public final class SlurmExecutor implements Executor {
    /**
     * @param partition null: the cluster's default
     * @param time      null or a time limit such as "00:30:00"
     * @param mem       null or memory per task such as "4G"
     * @param extraArgs more sbatch arguments, one a line of the script
     * @param retries   how often a task that did not finish is resubmitted
     * @param parallel  at most this many tasks of an array at once (%K of --array), 0 = no limit
     * @param dryRun    print the scripts and their task lists, submit nothing
     * @param poll      how often squeue is asked
     */
    public record Options(String partition, String time, String mem, List<String> extraArgs, int retries, int parallel,
            boolean dryRun, Duration poll) {
        public Options {
            extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
            for (String a : extraArgs) {
                if (a.contains("\n") || a.contains("\r")) {
                    throw new IllegalArgumentException("an sbatch argument with a line break: " + a);
                }
            }
            if (retries < 0 || parallel < 0) {
                throw new IllegalArgumentException("retries and parallel must not be negative");
            }
            if (poll == null || poll.isNegative() || poll.isZero()) {
                poll = Duration.ofSeconds(10);
            }
        }
    }

    /** squeue failing this many times in a row (controller down) ends the run. */
    private static final int MAX_POLL_FAILURES = 30;

    private final Options options;
    private BiConsumer<String, List<String>> submitListener = (job, ids) -> { };
    private Map<String, String> environment = System.getenv();
    private PrintStream dryRunOut = System.out;
    private volatile int lastArraySize;

    public SlurmExecutor(Options options) {
        this.options = Objects.requireNonNull(options);
    }

    /**
     * Called after each sbatch with the job id and the task ids it runs, the i-th as array task i:
     * tests use it to scancel a task mid-run.
     */
    public SlurmExecutor onSubmit(BiConsumer<String, List<String>> listener) {
        this.submitListener = Objects.requireNonNull(listener);
        return this;
    }

    /**
     * The environment of the Slurm commands, whose PATH finds them; the jobs inherit it (sbatch's
     * default --export=ALL). Default: this JVM's.
     */
    public SlurmExecutor environment(Map<String, String> env) {
        this.environment = Map.copyOf(env);
        return this;
    }

    /** Where a dry run prints its scripts; default System.out. */
    public SlurmExecutor dryRunOutput(PrintStream out) {
        this.dryRunOut = Objects.requireNonNull(out);
        return this;
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder("slurm");
        b.append(options.partition() != null ? ", partition " + options.partition() : ", default partition");
        // the array's size is known once run() has seen which tasks are not done yet
        if (lastArraySize > 0) {
            b.append(", array of ").append(lastArraySize);
            if (options.parallel() > 0) {
                b.append(" (at most ").append(options.parallel()).append(" at once)");
            }
        } else if (options.parallel() > 0) {
            b.append(", at most ").append(options.parallel()).append(" tasks at once");
        }
        if (options.time() != null) {
            b.append(", time ").append(options.time());
        }
        if (options.mem() != null) {
            b.append(", mem ").append(options.mem());
        }
        if (options.dryRun()) {
            b.append(", dry run");
        }
        return b.toString();
    }

    @Override
    public List<Outcome> run(List<Task> tasks, Path workDir, Consumer<Outcome> progress) {
        TaskLogs.checkUnique(tasks);
        Consumer<Outcome> report = LocalExecutor.serialized(progress);
        Map<Task, Outcome> outcomes = new HashMap<>();
        List<Task> pending = new ArrayList<>();
        for (Task t : tasks) {
            if (Files.exists(t.resultFile())) {
                outcomes.put(t, Outcome.done(t, 0));
                report.accept(outcomes.get(t));
            } else {
                pending.add(t);
            }
        }
        lastArraySize = pending.size();
        if (!pending.isEmpty()) {
            TaskLogs logs = new TaskLogs(workDir);
            if (options.dryRun()) {
                dryRun(pending, workDir, logs, outcomes, report);
            } else {
                SlurmClient client = new SlurmClient(environment);
                checkReachable(client);
                submitRounds(client, pending, workDir, logs, outcomes, report);
            }
        }
        return tasks.stream().map(outcomes::get).toList();
    }

    private void dryRun(List<Task> pending, Path workDir, TaskLogs logs, Map<Task, Outcome> outcomes,
            Consumer<Outcome> report) {
        BatchScript batch = BatchScript.write(workDir, pending, options, logs);
        dryRunOut.println("# " + batch.script() + " (dry run: not submitted)");
        dryRunOut.print(batch.text());
        dryRunOut.println("# " + batch.taskFile());
        dryRunOut.print(batch.taskText());
        dryRunOut.flush();
        for (Task t : pending) {
            outcomes.put(t, Outcome.failed(t, 0, Outcome.DRY_RUN));
            report.accept(outcomes.get(t));
        }
    }

    /** sbatch and squeue on PATH and squeue answering: otherwise one line saying what failed. */
    static void checkReachable(SlurmClient client) {
        for (String command : List.of("sbatch", "squeue")) {
            if (client.find(command) == null) {
                throw new BcflowException("Slurm not reachable: " + command + " is not on PATH");
            }
        }
        SlurmClient.Result r = client.run("squeue", List.of("-h", "-o", "%i"));
        if (!r.ok()) {
            throw new BcflowException("Slurm not reachable: squeue -h failed: " + r.errorLine());
        }
    }

    private void submitRounds(SlurmClient client, List<Task> pending, Path workDir, TaskLogs logs,
            Map<Task, Outcome> outcomes, Consumer<Outcome> report) {
        ArrayStates states = new ArrayStates(client);
        Map<Task, String> errors = new HashMap<>();
        for (int attempt = 1; attempt <= options.retries() + 1 && !pending.isEmpty(); attempt++) {
            BatchScript batch = BatchScript.write(workDir, pending, options, logs);
            Map<Task, Long> errStart = new HashMap<>();
            pending.forEach(t -> errStart.put(t, logs.errSize(t)));
            String jobId = submit(client, batch);
            submitListener.accept(jobId, pending.stream().map(Task::id).toList());
            Map<Integer, ArrayStates.State> finalStates = await(client, states, jobId, pending.size());
            List<Task> again = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                Task t = pending.get(i);
                if (Files.exists(t.resultFile())) {
                    outcomes.put(t, Outcome.done(t, attempt));
                    report.accept(outcomes.get(t));
                } else {
                    errors.put(t, error(t, finalStates.get(i), logs, errStart.get(t)));
                    again.add(t);
                }
            }
            if (attempt == options.retries() + 1) {
                for (Task t : again) {
                    outcomes.put(t, Outcome.failed(t, attempt, errors.get(t)));
                    report.accept(outcomes.get(t));
                }
            }
            pending = again;
        }
    }

    /** What Slurm said about a task that did not write its result, and what it said itself. */
    private static String error(Task t, ArrayStates.State state, TaskLogs logs, long errStart) {
        String slurm = state == null ? "vanished from squeue" : state.describe();
        if (state != null && state.name().equals("COMPLETED")) {
            slurm += " without writing " + t.resultFile();
        }
        String line = logs.lastErrLine(t, errStart);
        return line == null ? "Slurm: " + slurm : "Slurm: " + slurm + "; " + line;
    }

    private String submit(SlurmClient client, BatchScript batch) {
        SlurmClient.Result r = client.run("sbatch", List.of("--parsable", batch.script().toString()));
        if (!r.ok()) {
            String why = r.errorLine().replaceFirst("^sbatch: error: ", "");
            throw new BcflowException("sbatch refused the job: " + why + " (script " + batch.script() + ")");
        }
        // --parsable prints "jobid" or "jobid;cluster"
        String jobId = r.out().strip().split(";")[0].strip();
        if (!jobId.matches("\\d+")) {
            throw new BcflowException("sbatch printed no job id but: " + r.out().strip());
        }
        SubmittedJobs.add(jobId, client);
        return jobId;
    }

    /** Polls until every task of the array has ended or vanished; returns their last states by index. */
    private Map<Integer, ArrayStates.State> await(SlurmClient client, ArrayStates states, String jobId, int size) {
        Map<Integer, ArrayStates.State> last = new HashMap<>();
        int failures = 0;
        try {
            while (true) {
                Map<Integer, ArrayStates.State> now = states.query(jobId);
                if (now == null) {
                    if (++failures >= MAX_POLL_FAILURES) {
                        throw new BcflowException("squeue failed " + failures + " times in a row while waiting for job "
                                + jobId + "; it may still run (scancel " + jobId + ")");
                    }
                } else {
                    failures = 0;
                    boolean running = false;
                    for (int i = 0; i < size; i++) {
                        ArrayStates.State s = now.get(i);
                        if (s != null) {
                            last.put(i, s);
                            running |= !s.terminal();
                        } else if (last.containsKey(i) && !last.get(i).terminal()) {
                            last.remove(i);  // gone while running: "vanished", not "RUNNING"
                        }
                        // absent: ended and forgotten (or never listed); its result file decides
                    }
                    if (!running) {
                        SubmittedJobs.remove(jobId);
                        return last;
                    }
                }
                Thread.sleep(options.poll().toMillis());
            }
        } catch (InterruptedException e) {
            SubmittedJobs.cancel(jobId, client);
            Thread.currentThread().interrupt();
            throw new BcflowException("interrupted; cancelled Slurm job " + jobId);
        }
    }
}
