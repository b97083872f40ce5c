package org.bcflow.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.bcflow.core.BcflowException;
import org.bcflow.core.tools.Reaper;

/**
 * Runs tasks on this machine, at most {@code jobs} processes at once. A task is done when its
 * process exits 0 and its result file exists; otherwise it is run again, up to {@code retries} times.
 *
 * <p>Each task runs as the leader of a process group of its own, so that whatever it starts can be
 * killed with it: by a shutdown hook when this JVM exits (Ctrl-C, SIGTERM), and by core's
 * {@link Reaper} watcher when the JVM is killed outright.
 */
public final class LocalExecutor implements Executor {
    /** Processes of every run in this JVM, for the shutdown hook; guarded by itself. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    /** Set by the shutdown hook: no new process may start once the hook has killed the running ones. */
    private static volatile boolean closing;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LocalExecutor::killAll, "bcflow-local-executor"));
    }

    /** How long a task asked to stop at shutdown has before it is killed. */
    private static final java.time.Duration GRACE = java.time.Duration.ofSeconds(5);
    private final int jobs;
    private final int retries;

    public LocalExecutor(int jobs, int retries) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1: " + jobs);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative: " + retries);
        }
        this.jobs = jobs;
        this.retries = retries;
    }

    @Override
    public String describe() {
        return "local, " + jobs + (jobs == 1 ? " process" : " processes");
    }

    @Override
    public List<Outcome> run(List<Task> tasks, Path workDir, Consumer<Outcome> progress) {
        TaskLogs.checkUnique(tasks);
        TaskLogs logs = new TaskLogs(workDir);
        Outcome[] outcomes = new Outcome[tasks.size()];
        Consumer<Outcome> report = serialized(progress);
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "bcflow-task-" + threadNumber.incrementAndGet());
            t.setDaemon(true);  // a pool thread must never keep the JVM alive
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) {
                Task task = tasks.get(i);
                int index = i;
                if (Files.exists(task.resultFile())) {
                    outcomes[i] = Outcome.done(task, 0);
                    report.accept(outcomes[i]);
                    continue;
                }
                futures.add(pool.submit(() -> {
                    outcomes[index] = runWithRetries(task, logs);
                    report.accept(outcomes[index]);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BcflowException("interrupted; the running tasks were killed");
        } catch (ExecutionException e) {
            // the progress consumer's own failure, or a bug: the caller's exception, unwrapped
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();  // interrupts the workers, which kill their processes
        }
        return Arrays.asList(outcomes);
    }

    private Outcome runWithRetries(Task task, TaskLogs logs) throws InterruptedException {
        String error = null;
        for (int attempt = 1; attempt <= retries + 1; attempt++) {
            error = attempt(task, logs);
            if (error == null) {
                return Outcome.done(task, attempt);
            }
        }
        return Outcome.failed(task, retries + 1, error);
    }

    /** One run of the task's command: null when it is done, else the one-line error. */
    private static String attempt(Task task, TaskLogs logs) throws InterruptedException {
        long errStart = logs.errSize(task);
        Process p;
        try {
            p = start(task, logs);
        } catch (IOException e) {
            return "cannot run " + task.command().get(0) + ": " + e.getMessage();
        }
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            killTree(p);
            throw e;
        } finally {
            RUNNING.remove(p);
            Reaper.forgetGroup(p.pid());
        }
        boolean written = Files.exists(task.resultFile());
        if (exit == 0 && written) {
            return null;
        }
        if (written) {
            // a result from a run that failed is not trusted: the next attempt, or a later run, redoes it
            try {
                Files.deleteIfExists(task.resultFile());
            } catch (IOException e) {
                // then the next run counts it done; nothing better to do here
            }
        }
        String line = logs.lastErrLine(task, errStart);
        if (line != null) {
            return line;
        }
        return exit == 0 ? "exit 0 without writing " + task.resultFile() : "exit " + exit;
    }

    private static Process start(Task task, TaskLogs logs) throws IOException {
        List<String> command = new ArrayList<>();
        if (Reaper.groupsSupported()) {
            command.add("/usr/bin/setsid");  // a process group of its own, killed as one
        }
        command.addAll(task.command());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.out(task).toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(logs.err(task).toFile()));
        // Started under the lock the shutdown hook takes, so a process is either killed by the hook or never started.
        synchronized (RUNNING) {
            if (closing) {
                throw new IOException("this JVM is shutting down");
            }
            Process p = pb.start();
            RUNNING.add(p);
            Reaper.watchGroupStoppedByOwner(p.pid());  // killAll asks it to stop first
            return p;
        }
    }

    /**
     * At shutdown: each task is asked to stop first (SIGTERM: a bcflow task then stops its own tools
     * and removes its temporary folders, which killing it and its watcher outright would leave), and
     * what has not gone within a few seconds is killed.
     */
    private static void killAll() {
        synchronized (RUNNING) {
            closing = true;
            // a snapshot: a task that exits on the signal leaves RUNNING (and forgets its group), but
            // what it started in its group (a shell's background job) must still be killed below
            List<Process> tasks = List.copyOf(RUNNING);
            tasks.forEach(Process::destroy);
            long deadline = System.nanoTime() + GRACE.toNanos();
            for (Process p : tasks) {
                try {
                    p.waitFor(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            tasks.forEach(LocalExecutor::killTree);
        }
    }

    /** Kills a task and everything it started (descendants first, so none is reparented and missed). */
    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        Reaper.killGroup(p.pid());  // also the group's members whose parent already exited
    }

    /** The caller's progress consumer, called by one thread at a time. */
    static Consumer<Outcome> serialized(Consumer<Outcome> progress) {
        Object lock = new Object();
        return o -> {
            if (progress != null) {
                synchronized (lock) {
                    progress.accept(o);
                }
            }
        };
    }
}
