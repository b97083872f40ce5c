package org.bcflow.rtlgen;

import org.bcflow.core.BcflowException;
import org.bcflow.core.Thresholds;

/** How a layer's folded batch norm becomes hardware: {@code bc_dense} THRESH = 1 or 0. */
public enum BatchNormStyle {
    /**
     * Hidden layers of at most {@value Thresholds#MAX_BITS} bits compare the accumulator with
     * 2^k - 1 per-neuron thresholds (no multiplier; 1 + (2^k - 1) x threshold bits of ROM per
     * neuron); wider layers and the scores multiply, add and shift.
     */
    THRESHOLDS,
    /** Every layer multiplies, adds and shifts: mul + add bits of ROM per neuron, a multiplier per lane. */
    MULADD;

    public static BatchNormStyle parse(String text) {
        for (BatchNormStyle s : values()) {
            if (s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new BcflowException("batch norm '" + text + "' is not one of thresholds, muladd");
    }

    /** Whether a layer of {@code outBits}-bit outputs compares with thresholds. */
    boolean thresholds(boolean lastLayer, int outBits) {
        return this == THRESHOLDS && !lastLayer && outBits <= Thresholds.MAX_BITS;
    }
}
