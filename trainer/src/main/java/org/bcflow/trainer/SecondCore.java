package org.bcflow.trainer;

import java.util.concurrent.locks.LockSupport;

/**
 * Splits element-wise work in two halves, one on the calling thread and one on a daemon thread,
 * for {@link ConvNet}: between its matrix products (which ND4J runs on every core) the batch norm,
 * pooling and im2col loops would otherwise leave the second core idle.
 *
 * <p>The split is always into the same two halves whatever the machine, and partial sums are
 * combined in a fixed order, so results do not depend on the number of cores. Work below
 * {@link #MIN_SPLIT} elements runs on the caller alone: the hand-over costs microseconds.
 * Hand-over through volatile fields and park/unpark; not for use by two callers at once.
 */
final class SecondCore implements Runnable {
    /** Smallest amount of work (elements) worth handing half of to the second thread. */
    static final long MIN_SPLIT = Long.getLong("bcflow.minSplit", 1 << 16);

    /** Work on the index range [from, to) with partial results in slot {@code half} (0 or 1). */
    interface Range {
        void run(int from, int to, int half);
    }

    private final Thread thread;
    private volatile Range task;
    private volatile int from, to;
    private volatile boolean done = true;
    private volatile Throwable failure;
    private volatile boolean stop;

    SecondCore() {
        thread = new Thread(this, "bcflow-second-core");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs {@code range} on [0, n): [0, n/2) here as half 0, [n/2, n) on the second thread as
     * half 1 when {@code elements} is worth it, else both halves here in order.
     */
    void split(int n, long elements, Range range) {
        int mid = n / 2;
        if (elements < MIN_SPLIT || stop) {
            range.run(0, mid, 0);
            range.run(mid, n, 1);
            return;
        }
        this.from = mid;
        this.to = n;
        this.done = false;
        this.task = range;
        LockSupport.unpark(thread);
        range.run(0, mid, 0);
        while (!done) {
            Thread.onSpinWait();
        }
        if (failure != null) {
            Throwable f = failure;
            failure = null;
            throw new IllegalStateException("the second core's half failed", f);
        }
    }

    void shutdown() {
        stop = true;
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (!stop) {
            Range r = task;
            if (r == null) {
                LockSupport.park(this);
                continue;
            }
            task = null;
            try {
                r.run(from, to, 1);
            } catch (Throwable t) {
                failure = t;
            }
            done = true;
        }
    }
}
