package org.bcflow.cluster;

/**
 * What became of a task: done, or failed after {@code attempts} with a one-line error. A task
 * that was already done before the run has 0 attempts; a done task's error is null.
 */
public record Outcome(Task task, boolean done, int attempts, String error) {
    /** The error of every task of a dry run: its script was printed, nothing was submitted. */
    static final String DRY_RUN = "dry run";

    /** Whether the task was not run because the executor only printed what it would submit. */
    public boolean dryRun() {
        return !done && DRY_RUN.equals(error);
    }

    static Outcome done(Task task, int attempts) {
        return new Outcome(task, true, attempts, null);
    }

    static Outcome failed(Task task, int attempts, String error) {
        return new Outcome(task, false, attempts, error);
    }
}
