package org.bcflow.trainer;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The second core: one daemon thread that runs layer updates handed over by {@link #submit}
 * for {@link BinaryMlp}.
 * Hand-over and completion go through two volatile counters and park/unpark, so nothing is
 * allocated per step. The updates of different layers touch disjoint arrays and each runs the
 * same arithmetic as {@link BinaryMlp#update}, so the result is bit for bit the sequential one.
 */
final class UpdateWorker implements Runnable {
    private final int[] queue;
    private final IntConsumer updateLayer;
    private final Thread thread;
    private volatile int submitted;
    private volatile int completed;
    private volatile boolean stop;

    UpdateWorker(int layers, IntConsumer updateLayer) {
        this.queue = new int[layers];
        this.updateLayer = updateLayer;
        thread = new Thread(this, "bcflow-update");
        thread.setDaemon(true);
        thread.start();
    }

    void submit(int layer) {
        queue[submitted % queue.length] = layer;
        submitted = submitted + 1;
        LockSupport.unpark(thread);
    }

    /** Waits (spinning: the waits are a few milliseconds at most) until every submitted update is done. */
    void await() {
        while (completed != submitted) {
            if (!thread.isAlive()) {
                throw new IllegalStateException("the update worker died");
            }
            Thread.onSpinWait();
        }
    }

    void shutdown() {
        stop = true;
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (!stop) {
            int done = completed;
            if (done == submitted) {
                LockSupport.park(this);
                continue;
            }
            updateLayer.accept(queue[done % queue.length]);
            completed = done + 1;
        }
    }
}
