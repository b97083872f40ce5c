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
 */
public final class RomPacking {
    private RomPacking() {
    }

    public static BigInteger[] weightWords(DenseLayer layer, int pe, int simd) {
        checkFolding(layer, pe, simd);
        int nfCount = layer.outputs() / pe;
        int sfCount = layer.inputs() / simd;
        BigInteger[] words = new BigInteger[nfCount * sfCount];
        for (int nf = 0; nf < nfCount; nf++) {
            for (int sf = 0; sf < sfCount; sf++) {
                BigInteger w = BigInteger.ZERO;
                for (int p = 0; p < pe; p++) {
                    for (int s = 0; s < simd; s++) {
                        if (layer.weights().isPlus(nf * pe + p, sf * simd + s)) {
                            w = w.setBit(p * simd + s);
                        }
                    }
                }
                words[nf * sfCount + sf] = w;
            }
        }
        return words;
    }

    /** Inverse of {@link #weightWords}, for round-trip checks and for reading ROM files back. */
    public static BitMatrix unpackWeights(BigInteger[] words, int rows, int cols, int pe, int simd) {
        int nfCount = rows / pe;
        int sfCount = cols / simd;
        if (words.length != nfCount * sfCount) {
            throw new IllegalArgumentException("expected " + nfCount * sfCount + " words, got " + words.length);
        }
        BitMatrix.Builder b = new BitMatrix.Builder(rows, cols);
        for (int nf = 0; nf < nfCount; nf++) {
            for (int sf = 0; sf < sfCount; sf++) {
                BigInteger w = words[nf * sfCount + sf];
                for (int p = 0; p < pe; p++) {
                    for (int s = 0; s < simd; s++) {
                        b.set(nf * pe + p, sf * simd + s, w.testBit(p * simd + s));
                    }
                }
            }
        }
        return b.build();
    }

    /** Packs one signed constant per neuron, PE of them per word, each {@code width} bits. */
    public static BigInteger[] constantWords(long[] perNeuron, int pe, int width) {
        if (perNeuron.length % pe != 0) {
            throw new IllegalArgumentException(perNeuron.length + " neurons do not split into " + pe + " lanes");
        }
        BigInteger[] words = new BigInteger[perNeuron.length / pe];
        BigInteger mask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
        for (int nf = 0; nf < words.length; nf++) {
            BigInteger w = BigInteger.ZERO;
            for (int p = 0; p < pe; p++) {
                long v = perNeuron[nf * pe + p];
                if (Widths.signedBits(v) > width) {
                    throw new IllegalArgumentException("constant " + v + " does not fit " + width + " bits");
                }
                w = w.or(BigInteger.valueOf(v).and(mask).shiftLeft(p * width));
            }
            words[nf] = w;
        }
        return words;
    }

    /**
     * Packs the thresholds of PE neurons per word: lane p at bits [p*TW +: TW], TW = 1 + T*bits,
     * holding the negate flag at bit 0 and t_j (j = 1..T) at [1 + (j-1)*bits +: bits].
     */
    public static BigInteger[] thresholdWords(Thresholds.Neuron[] neurons, int pe, int bits) {
        int t = neurons[0].t().length;
        int tw = 1 + t * bits;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        BigInteger[] words = new BigInteger[neurons.length / pe];
        for (int nf = 0; nf < words.length; nf++) {
            BigInteger w = BigInteger.ZERO;
            for (int p = 0; p < pe; p++) {
                Thresholds.Neuron n = neurons[nf * pe + p];
                BigInteger lane = n.negate() ? BigInteger.ONE : BigInteger.ZERO;
                for (int j = 0; j < t; j++) {
                    if (Widths.signedBits(n.t()[j]) > bits) {
                        throw new IllegalArgumentException("threshold " + n.t()[j] + " does not fit " + bits + " bits");
                    }
                    lane = lane.or(BigInteger.valueOf(n.t()[j]).and(mask).shiftLeft(1 + j * bits));
                }
                w = w.or(lane.shiftLeft(p * tw));
            }
            words[nf] = w;
        }
        return words;
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
        StringBuilder sb = new StringBuilder();
        for (int d = 1; d <= n; d++) {
            if (n % d == 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(d);
            }
        }
        return sb.toString();
    }
}
