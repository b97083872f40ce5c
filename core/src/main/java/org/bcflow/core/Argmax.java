package org.bcflow.core;

/**
 * The class a score vector names: the index of the largest score, the lowest index winning a tie
 * (the contract's rule, which bc_argmax's comparator tree follows too). One home for the rule, for
 * the integer reference, the float model and the trainer's error count.
 */
public final class Argmax {
    private Argmax() {
    }

    public static int of(long[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    public static int of(double[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Over {@code scores[from .. from + count)}, an index relative to {@code from} (one row of a batch). */
    public static int of(float[] scores, int from, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (scores[from + i] > scores[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
