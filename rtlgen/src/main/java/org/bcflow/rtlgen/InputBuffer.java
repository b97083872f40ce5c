package org.bcflow.rtlgen;

import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;

/** Where the first layer keeps the image it works on: {@code bc_dense} RAM_IN = 1 or 0. */
public enum InputBuffer {
    /** RAM when it pays off (see {@link #useRam}), else registers. */
    AUTO,
    /** A two-bank RAM of SIMD-value words: block RAM on an FPGA, and the next image streams in meanwhile. */
    RAM,
    /** A register copy of the whole image, rotated one fold per step. */
    REGISTERS;

    /** Input folds from which AUTO chooses RAM: deep enough for a block RAM to pay off. */
    public static final int RAM_MIN_FOLDS = 16;

    public static InputBuffer parse(String text) {
        for (InputBuffer b : values()) {
            if (b.name().equalsIgnoreCase(text)) {
                return b;
            }
        }
        throw new BcflowException("input buffer '" + text + "' is not one of auto, ram, registers");
    }

    /**
     * Words of the two-bank image RAM for an image read in {@code folds} input folds: each bank is
     * addressed by the fold counter (bc_dense: {bank, sf}), so it holds 2^ceil(log2(folds)) words.
     */
    public static int ramDepth(int folds) {
        return 2 << CycleModel.addressBits(folds);
    }

    /** Whether the first layer of this design keeps the image in RAM; RAM needs a fold to be whole beats. */
    public boolean useRam(Network net, LayerFolding first, int pixelsPerBeat) {
        boolean wholeBeats = first.simd() % pixelsPerBeat == 0;
        return switch (this) {
            case REGISTERS -> false;
            case AUTO -> wholeBeats && net.inputSize() / first.simd() >= RAM_MIN_FOLDS;
            case RAM -> {
                if (!wholeBeats) {
                    throw new BcflowException("an input buffer in RAM needs the first layer's SIMD (" + first.simd()
                            + ") to be a multiple of the pixels per beat (" + pixelsPerBeat + ")");
                }
                yield true;
            }
        };
    }
}
