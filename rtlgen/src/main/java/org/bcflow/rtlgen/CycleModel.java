package org.bcflow.rtlgen;

import org.bcflow.core.DenseLayer;
import org.bcflow.core.Network;

/**
 * Cycle counts of the generated design, from the structure of the hand-written RTL in hw/:
 *
 * <ul>
 *   <li>bc_input takes N / PIX beats per image. With the image in registers (bc_dense RAM_IN = 0)
 *       the first layer accepts it in the cycle of its last beat; with the image in the first
 *       layer's RAM ({@link InputBuffer}) the first layer starts in the cycle after;</li>
 *   <li>bc_dense offers its result NF * SF + {@value #DENSE_OVERHEAD} + ceil(log2(SIMD)) cycles
 *       after accepting its input (the last term is the adder tree's register levels), and can
 *       accept the next input in that same cycle;</li>
 *   <li>bc_argmax offers the class ceil(log2(C)) + 2 cycles after accepting the scores (a
 *       registered comparator tree), and can accept the next scores in that cycle.</li>
 * </ul>
 *
 * Every stage works on a different image at once, so with a steady input stream and an output
 * that is always ready, an image leaves every {@link #interval} cycles, and the first image's
 * output appears {@link #latency} cycles after its first input beat was accepted.
 */
public final class CycleModel {
    /** Pipeline stages of bc_dense after the last (nf, sf) step: ROM read, its second register, accumulate, multiply-add, store. */
    public static final int DENSE_OVERHEAD = 5;

    private CycleModel() {
    }

    /** Beats of one image on s_axis: a conv network takes one pixel (all its channels) per beat. */
    public static long inputCycles(Network net, int pixelsPerBeat) {
        return net.isMlp() ? net.inputSize() / pixelsPerBeat : net.input().positions();
    }

    public static long layerCycles(DenseLayer layer, LayerFolding f) {
        return (long) (layer.outputs() / f.pe()) * (layer.inputs() / f.simd()) + DENSE_OVERHEAD + treeLevels(f.simd());
    }

    /** Address bits of a counter over n values, as the RTL declares them: ceil(log2(n)), at least 1. */
    public static int addressBits(int n) {
        return Math.max(1, treeLevels(n));
    }

    /** Register levels of bc_addtree for n terms: ceil(log2(n)). */
    public static int treeLevels(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    /** Cycles from bc_argmax accepting the scores to offering the class: its comparator tree plus two. */
    public static long argmaxCycles(Network net) {
        return treeLevels(net.classes()) + 2;
    }

    /** Cycles between successive images in steady state: the slowest stage. */
    public static long interval(Network net, Folding folding, int pixelsPerBeat) {
        long worst = Math.max(inputCycles(net, pixelsPerBeat), argmaxCycles(net));
        for (int i = 0; i < net.layers().size(); i++) {
            worst = Math.max(worst, layerCycles(net.layer(i), folding.layer(i)));
        }
        return worst;
    }

    /** Cycles from an image's first accepted input beat to its output beat, with the pipeline empty. */
    public static long latency(Network net, Folding folding, int pixelsPerBeat, boolean ramInput) {
        long total = inputCycles(net, pixelsPerBeat) - (ramInput ? 0 : 1) + argmaxCycles(net);
        for (int i = 0; i < net.layers().size(); i++) {
            total += layerCycles(net.layer(i), folding.layer(i));
        }
        return total;
    }
}
