package org.bcflow.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Runs a campaign's tasks somewhere: on this machine ({@link LocalExecutor}) or on Slurm ({@link SlurmExecutor}). */
public interface Executor {
    /**
     * Runs every task whose result file does not exist yet (tasks already done count as done with 0 attempts), retrying
     * a task that failed, was cancelled or lost (node down, scancel, timeout) up to the executor's retry count; returns
     * one outcome per task, in the order given. workDir holds the executor's scripts and each task's logs
     * (workDir/logs/&lt;id&gt;.out and .err). progress is called once per task as it finishes (or finally fails),
     * tasks already done included, never from two threads at once.
     */
    List<Outcome> run(List<Task> tasks, Path workDir, Consumer<Outcome> progress);

    /** One line for reports, e.g. "local, 2 processes" or "slurm, partition debug, array of 12 (at most 2 at once)". */
    String describe();
}
