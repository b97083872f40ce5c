package org.bcflow.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Slurm jobs this JVM submitted and still waits for. When the JVM exits before they finish
 * (Ctrl-C of the driver), a shutdown hook cancels them: nobody would collect their results.
 */
final class SubmittedJobs {
    /** Job id to the client that submitted it (its environment finds scancel). */
    private static final Map<String, SlurmClient> JOBS = new LinkedHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SubmittedJobs::cancelAll, "bcflow-scancel"));
    }

    private SubmittedJobs() {
    }

    static synchronized void add(String jobId, SlurmClient client) {
        JOBS.put(jobId, client);
    }

    static synchronized void remove(String jobId) {
        JOBS.remove(jobId);
    }

    /** Cancels a job now (an interrupted run), quietly: it may have finished meanwhile. */
    static void cancel(String jobId, SlurmClient client) {
        try {
            client.run("scancel", List.of(jobId));
        } catch (RuntimeException e) {
            // scancel missing or hung: nothing more to do
        }
        remove(jobId);
    }

    private static void cancelAll() {
        Map<String, SlurmClient> jobs;
        synchronized (SubmittedJobs.class) {
            jobs = new LinkedHashMap<>(JOBS);
        }
        for (var e : jobs.entrySet()) {
            cancel(e.getKey(), e.getValue());
        }
    }

    static synchronized List<String> ids() {
        return new ArrayList<>(JOBS.keySet());
    }
}
