package org.bcflow.cluster;

/**
 * Thrown by a caller that finds its tasks were only printed ({@link Outcome#dryRun}): there are no
 * results to go on with, and that is not an error.
 */
public final class DryRun extends RuntimeException {
    public DryRun() {
        super("dry run: the scripts were printed, nothing was submitted");
    }
}
