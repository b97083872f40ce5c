package org.bcflow.core;

import java.math.BigInteger;

/**
 * The one place where weights and per-neuron constants are packed into memory words.
 *
 * <p>A layer with MH outputs and MW inputs, folded onto PE lanes (neurons in parallel) and SIMD
 * lanes (inputs in parallel), runs NF = MH / PE neuron folds of SF = MW / SIMD input folds.
 *
 * <p><b>Weight ROM:</b> NF * SF words of PE * SIMD bits. Word {@code nf * SF + sf}, bit
 * {@code p * SIMD + s} holds the weight of neuron {@code nf * PE + p} for input
 * {@code sf * SIMD + s}: 1 for +1, 0 for -1. So PE lane p serves neurons p, p + PE, p + 2 PE, ...
 *
 * <p><b>Constant ROMs</b> (multiplier, offset): NF words of PE * W bits; bits {@code [p * W, p * W + W)}
 * of word nf hold the two's complement constant of neuron {@code nf * PE + p}.
 *
 * <p>Words are packed into longs ({@link RomWords}) 64 bits at a time: the SIMD bits of one lane
 * are a run of consecutive columns of one weight row, copied word by word from the matrix, so
 * packing takes time in proportion to the bits, however wide a word is.
 */
public final class RomPacking {
    private RomPacking() {
    }

    /** The weight ROM of a layer folded onto PE x SIMD lanes. */
    public static RomWords weights(DenseLayer layer, int pe, int simd) {
        checkFolding(layer, pe, simd);
        int nfCount = layer.outputs() / pe;
        int sfCount = layer.inputs() / simd;
        BitMatrix w = layer.weights();
        RomWords out = new RomWords(nfCount * sfCount, Math.multiplyExact(pe, simd));
        for (int nf = 0; nf < nfCount; nf++) {
            for (int sf = 0; sf < sfCount; sf++) {
                int word = nf * sfCount + sf;
                for (int p = 0; p < pe; p++) {
                    int row = nf * pe + p;
                    for (int s = 0; s < simd; s += 64) {
                        int count = Math.min(64, simd - s);
                        out.or(word, p * simd + s, w.bits(row, sf * simd + s, count), count);
                    }
                }
            }
        }
        return out;
    }

    /** {@link #weights} as numbers, one per word. */
    public static BigInteger[] weightWords(DenseLayer layer, int pe, int simd) {
        return weights(layer, pe, simd).toBigIntegers().toArray(BigInteger[]::new);
    }

    /** Inverse of {@link #weights}, for round-trip checks and for reading ROM files back. */
    public static BitMatrix unpackWeights(RomWords words, int rows, int cols, int pe, int simd) {
        int nfCount = rows / pe;
        int sfCount = cols / simd;
        if (words.depth() != nfCount * sfCount || words.width() != pe * simd) {
            throw new IllegalArgumentException("expected " + nfCount * sfCount + " words of " + pe * simd + " bits, got "
                    + words.depth() + " of " + words.width());
        }
        BitMatrix.Builder b = new BitMatrix.Builder(rows, cols);
        for (int nf = 0; nf < nfCount; nf++) {
            for (int sf = 0; sf < sfCount; sf++) {
                for (int p = 0; p < pe; p++) {
                    for (int s = 0; s < simd; s++) {
                        b.set(nf * pe + p, sf * simd + s, words.bit(nf * sfCount + sf, p * simd + s));
                    }
                }
            }
        }
        return b.build();
    }

    /** {@link #unpackWeights(RomWords, int, int, int, int)} of words given as numbers. */
    public static BitMatrix unpackWeights(BigInteger[] words, int rows, int cols, int pe, int simd) {
        return unpackWeights(RomWords.of(pe * simd, java.util.List.of(words)), rows, cols, pe, simd);
    }

    /** Packs one signed constant per neuron, PE of them per word, each {@code width} bits. */
    public static RomWords constants(long[] perNeuron, int pe, int width) {
        if (perNeuron.length % pe != 0) {
            throw new IllegalArgumentException(perNeuron.length + " neurons do not split into " + pe + " lanes");
        }
        RomWords out = new RomWords(perNeuron.length / pe, Math.multiplyExact(pe, width));
        for (int nf = 0; nf < out.depth(); nf++) {
            for (int p = 0; p < pe; p++) {
                long v = perNeuron[nf * pe + p];
                if (Widths.signedBits(v) > width) {
                    throw new IllegalArgumentException("constant " + v + " does not fit " + width + " bits");
                }
                putSigned(out, nf, p * width, v, width);
            }
        }
        return out;
    }

    /** {@link #constants} as numbers, one per word. */
    public static BigInteger[] constantWords(long[] perNeuron, int pe, int width) {
        return constants(perNeuron, pe, width).toBigIntegers().toArray(BigInteger[]::new);
    }

    /**
     * Packs the thresholds of PE neurons per word: lane p at bits [p*TW +: TW], TW = 1 + T*bits,
     * holding the negate flag at bit 0 and t_j (j = 1..T) at [1 + (j-1)*bits +: bits].
     */
    public static RomWords thresholds(Thresholds.Neuron[] neurons, int pe, int bits) {
        int t = neurons[0].t().length;
        int tw = 1 + t * bits;
        RomWords out = new RomWords(neurons.length / pe, Math.multiplyExact(pe, tw));
        for (int nf = 0; nf < out.depth(); nf++) {
            for (int p = 0; p < pe; p++) {
                Thresholds.Neuron n = neurons[nf * pe + p];
                if (n.negate()) {
                    out.or(nf, p * tw, 1, 1);
                }
                for (int j = 0; j < t; j++) {
                    if (Widths.signedBits(n.t()[j]) > bits) {
                        throw new IllegalArgumentException("threshold " + n.t()[j] + " does not fit " + bits + " bits");
                    }
                    putSigned(out, nf, p * tw + 1 + j * bits, n.t()[j], bits);
                }
            }
        }
        return out;
    }

    /** {@link #thresholds} as numbers, one per word. */
    public static BigInteger[] thresholdWords(Thresholds.Neuron[] neurons, int pe, int bits) {
        return thresholds(neurons, pe, bits).toBigIntegers().toArray(BigInteger[]::new);
    }

    /** Writes v as a {@code width}-bit two's complement field; above 64 bits its sign repeats. */
    private static void putSigned(RomWords out, int word, int offset, long v, int width) {
        int low = Math.min(64, width);
        out.or(word, offset, low == 64 ? v : v & ((1L << low) - 1), low);
        for (int at = 64; at < width; at += 64) {
            int count = Math.min(64, width - at);
            if (v < 0) {
                out.or(word, offset + at, count == 64 ? -1L : (1L << count) - 1, count);
            }
        }
    }

    /** Throws a {@link BcflowException} when PE or SIMD does not divide the layer. */
    public static void checkFolding(DenseLayer layer, int pe, int simd) {
        if (pe < 1 || layer.outputs() % pe != 0) {
            throw new BcflowException(layer.name() + ": PE=" + pe + " does not divide its " + layer.outputs()
                    + " outputs (legal: " + divisors(layer.outputs()) + ")");
        }
        if (simd < 1 || layer.inputs() % simd != 0) {
            throw new BcflowException(layer.name() + ": SIMD=" + simd + " does not divide its " + layer.inputs()
                    + " inputs (legal: " + divisors(layer.inputs()) + ")");
        }
    }

    public static String divisors(int n) {
        return java.util.Arrays.stream(Divisors.of(n)).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
