package org.bcflow.qonnx;

import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.BcflowException;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.Network;

/**
 * What makes the exported float graph compute the integer network exactly, and the refusal of a
 * network for which it would not.
 *
 * <p>Evaluated in double, every value of the graph is an integer (or an integer times a power of
 * two), so it is exact as long as no intermediate reaches 2^53. The accumulators are at most
 * {@code B = inputs * (2^input_bits - 1)}, far below that (the limits keep B under 2^48); the
 * requantization's {@code acc * mul + add} is the one sum that can grow past it, and is checked
 * per layer here.
 *
 * <p>The constants themselves live in FLOAT (float32) initializers, as QONNX tools expect.
 * Multipliers (at most 18 bits), powers of two and the input quantizer's thresholds (at most
 * 2^16) always fit float32's 24-bit significand; an offset {@code add} often does not (a hidden
 * layer's offset is scaled by 2^shift), so it is split into float32 parts added one after the
 * other ({@link #float32Parts}); a layer's explicit thresholds must fit as they are.
 */
final class ExactnessGuard {
    /** Doubles hold every integer of magnitude below this exactly. */
    static final long EXACT_LIMIT = 1L << 53;

    private ExactnessGuard() {
    }

    /** Refuses, in one line naming the layer, a network the float graph would not compute exactly. */
    static void check(Network net) {
        for (DenseLayer l : net.layers()) {
            if (l.hasThresholds()) {
                checkThresholds(l);
            } else {
                checkSums(l);
            }
        }
    }

    /**
     * The largest magnitude any partial sum of the requantization can reach: {@code B * |mul|}
     * plus the magnitudes of the offset's float32 parts, over all neurons. With a single part (an
     * offset float32 holds) it is the contract's {@code M = B * max|mul| + max|add|} per neuron.
     */
    private static void checkSums(DenseLayer l) {
        long b = (long) l.inputs() * l.maxInput();
        for (int n = 0; n < l.outputs(); n++) {
            long bound;
            try {
                bound = Math.multiplyExact(b, Math.abs(l.mul(n)));
                for (double part : float32Parts(l.add(n))) {
                    bound = Math.addExact(bound, (long) Math.abs(part));
                }
            } catch (ArithmeticException e) {
                bound = Long.MAX_VALUE;
            }
            if (bound >= EXACT_LIMIT) {
                throw new BcflowException(l.name() + ": acc * mul + add can reach " + bound + " in magnitude (B = " + b
                        + ", neuron " + n + ": mul " + l.mul(n) + ", add " + l.add(n) + "), at least 2^53: a float graph "
                        + "cannot compute it exactly, so the network is not exported");
            }
        }
    }

    private static void checkThresholds(DenseLayer l) {
        for (int n = 0; n < l.outputs(); n++) {
            long[] t = l.thresholds(n);
            for (int j = 0; j < t.length; j++) {
                if ((double) (float) t[j] != t[j]) {
                    throw new BcflowException(l.name() + ": threshold " + (j + 1) + " of neuron " + n + " = " + t[j]
                            + " is not a float32 value, so a QONNX MultiThreshold cannot hold it exactly");
                }
            }
        }
    }

    /**
     * Float32 values whose exact sum is {@code v}, largest first: {@code v} itself when float32
     * holds it, otherwise its nearest float32 and the parts of what remains. Each part takes about
     * 24 more bits, so a 64-bit value needs at most three.
     */
    static double[] float32Parts(long v) {
        List<Double> parts = new ArrayList<>();
        long rest = v;
        while (rest != 0) {
            // the nearest float32, an integer since |rest| >= 1; the limits keep |add| < 2^62, so
            // it converts back to long without saturating
            float part = rest;
            parts.add((double) part);
            rest -= (long) part;
        }
        return parts.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
