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
     * An MLP.
     *
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
            boolean last = i + 2 == sizes.length;
            layers.add(matrix(rnd, "dense" + i, sizes[i + 1], sizes[i], inputBits[i], last ? 0 : inputBits[i + 1]));
        }
        return new Network(layers, Map.of("origin", "random seed " + seed));
    }

    /**
     * A network of any architecture, e.g. {@code 8C3-MP2-16C3v-32FC-10} on a 3x9x9 input. Layers
     * are named {@code conv0, conv1, ...}, {@code pool0, ...} and {@code dense0, ...} (the output
     * layer is the last dense one).
     *
     * @param inputBits unsigned input width of each weight layer: one per conv and dense block, and
     *                  one for the output layer
     */
    public static Network create(long seed, FeatureMap input, Architecture arch, int[] inputBits) {
        long weightLayers = arch.blocks().stream().filter(b -> !(b instanceof Architecture.Pool)).count() + 1;
        if (inputBits.length != weightLayers) {
            throw new IllegalArgumentException("need one input width per weight layer: " + weightLayers + ", got " + inputBits.length);
        }
        List<FeatureMap> shapes = arch.shapes(input);  // refuses a block that does not fit, naming its token
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Layer> stack = new ArrayList<>();
        FeatureMap map = input;
        int w = 0;
        int convs = 0;
        int pools = 0;
        int denses = 0;
        for (int b = 0; b < arch.blocks().size(); b++) {
            Architecture.Block block = arch.blocks().get(b);
            if (block instanceof Architecture.Conv c) {
                DenseLayer m = matrix(rnd, "conv" + convs++, c.channels(), c.k() * c.k() * map.channels(), inputBits[w], inputBits[w + 1]);
                stack.add(new ConvLayer(m, c.k(), c.padding()));
                w++;
            } else if (block instanceof Architecture.Pool p) {
                stack.add(new MaxPoolLayer("pool" + pools++, p.p()));
            } else if (block instanceof Architecture.Dense d) {
                stack.add(matrix(rnd, "dense" + denses++, d.units(), map.size(), inputBits[w], inputBits[w + 1]));
                w++;
            }
            map = shapes.get(b);
        }
        stack.add(matrix(rnd, "dense" + denses, arch.classes(), map.size(), inputBits[w], 0));
        return new Network(input, stack, Map.of("origin", "random seed " + seed + ", " + arch));
    }

    /**
     * A random weight matrix with batch-norm constants for inputs of {@code inBits} bits.
     *
     * @param outBits the width of the outputs, 0 for the scores of the last layer
     */
    private static DenseLayer matrix(SplittableRandom rnd, String name, int out, int in, int inBits, int outBits) {
        boolean last = outBits == 0;
        BitMatrix.Builder w = new BitMatrix.Builder(out, in);
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < in; c++) {
                w.set(r, c, rnd.nextBoolean());
            }
        }
        long maxIn = (1L << inBits) - 1;
        long outRange = last ? 1000 : (1L << outBits) - 1;
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
        return new DenseLayer(name, w.build(), inBits, mul, add, shift);
    }

    /**
     * The same network with the stages imported models bring: an input quantizer of random
     * nondecreasing thresholds on {@code rawBits}-bit inputs (some equal, some never passed) and,
     * in every other hidden weight layer, explicit thresholds in place of the multiply-add (drawn
     * around the accumulator's typical range, some equal, some at the range's ends). The first
     * layer's weights and sizes are kept; its inputs become the quantizer's codes.
     */
    public static Network withImportedStages(Network net, long seed, int rawBits) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int codeBits = net.layer(0).inputBits();
        long[] q = sortedDraws(rnd, (1 << codeBits) - 1, 0, 1L << rawBits);
        Network out = new Network(net.input(), net.stack(), net.metadata(), new InputQuantizer(rawBits, q));
        for (int i = 0; i + 1 < net.layers().size(); i++) {
            DenseLayer l = net.layer(i);
            int nextBits = net.layer(i + 1).inputBits();
            if (i % 2 == 1 || nextBits > Thresholds.MAX_BITS) {
                continue;
            }
            long bound = (long) l.inputs() * l.maxInput();
            long typical = (long) Math.ceil(Math.sqrt(l.inputs()) * l.maxInput()) + 1;
            long[][] t = new long[l.outputs()][];
            for (int n = 0; n < t.length; n++) {
                long lo = Math.max(-bound, -typical);
                long hi = Math.min(bound + 1, typical);
                t[n] = sortedDraws(rnd, (1 << nextBits) - 1, rnd.nextInt(10) == 0 ? -bound : lo, rnd.nextInt(10) == 0 ? bound + 1 : hi);
            }
            out = out.withLayer(i, DenseLayer.withThresholds(l.name(), l.weights(), l.inputBits(), t));
        }
        return out;
    }

    /** count draws from lo..hi (both included), sorted: a nondecreasing set of thresholds. */
    private static long[] sortedDraws(SplittableRandom rnd, int count, long lo, long hi) {
        long[] t = new long[count];
        for (int j = 0; j < count; j++) {
            t[j] = lo + rnd.nextLong(hi - lo + 1);
        }
        java.util.Arrays.sort(t);
        return t;
    }
}
