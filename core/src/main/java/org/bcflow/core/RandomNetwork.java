package org.bcflow.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random integer networks for tests and fuzzing: random weights, and batch-norm constants scaled
 * so that activations spread over their whole range (some negative and zero multipliers
 * included, as a negative or zero gamma gives).
 */
public final class RandomNetwork {
    private RandomNetwork() {
    }

    /**
     * @param sizes      layer sizes, input first: {784, 32, 10} has two layers
     * @param inputBits  unsigned input width of each layer (sizes.length - 1 values)
     */
    public static Network create(long seed, int[] sizes, int[] inputBits) {
        if (inputBits.length != sizes.length - 1) {
            throw new IllegalArgumentException("need one input width per layer");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        List<DenseLayer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            int in = sizes[i];
            int out = sizes[i + 1];
            boolean last = i + 2 == sizes.length;
            BitMatrix.Builder w = new BitMatrix.Builder(out, in);
            for (int r = 0; r < out; r++) {
                for (int c = 0; c < in; c++) {
                    w.set(r, c, rnd.nextBoolean());
                }
            }
            long maxIn = (1L << inputBits[i]) - 1;
            long outRange = last ? 1000 : (1L << inputBits[i + 1]) - 1;
            int shift = last ? 0 : 16;
            double typicalAcc = Math.sqrt(in) * maxIn / 2.0 + 1;
            double scale = outRange * Math.scalb(1.0, shift) / (2 * typicalAcc);
            long[] mul = new long[out];
            long[] add = new long[out];
            for (int r = 0; r < out; r++) {
                double m = switch (rnd.nextInt(8)) {
                    case 0 -> 0;                                 // gamma = 0
                    case 1, 2 -> -scale * (0.5 + rnd.nextDouble()); // gamma < 0
                    default -> scale * (0.5 + rnd.nextDouble());
                };
                mul[r] = Math.max(-(1L << 15) + 1, Math.min((1L << 15) - 1, Math.round(m)));
                add[r] = Math.round(outRange * (rnd.nextDouble() - 0.25) * Math.scalb(1.0, shift));
            }
            layers.add(new DenseLayer("dense" + i, w.build(), inputBits[i], mul, add, shift));
        }
        return new Network(layers, Map.of("origin", "random seed " + seed));
    }
}
