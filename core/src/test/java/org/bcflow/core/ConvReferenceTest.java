package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Conv and max-pool in {@link Reference}: by hand, and against {@link NaiveReference} on random networks. */
class ConvReferenceTest {

    /** Conv as a list of weight rows in column order j = (ky*k + kx)*in_channels + c, '+' = +1. */
    private static DenseLayer matrix(String name, int inputBits, String[] rows, long[] mul, long[] add, int shift) {
        BitMatrix.Builder b = new BitMatrix.Builder(rows.length, rows[0].length());
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length(); c++) {
                b.set(r, c, rows[r].charAt(c) == '+');
            }
        }
        return new DenseLayer(name, b.build(), inputBits, mul, add, shift);
    }

    @Test
    void sameConvolutionPoolAndDenseByHand() {
        // 1 channel, 3x3 input 1..9; a 3x3 kernel of all +1 with same padding sums each neighbourhood
        DenseLayer k = matrix("conv0", 8, new String[] {"+++++++++"}, new long[] {1}, new long[] {0}, 0);
        Network net = new Network(new FeatureMap(1, 3, 3), List.of(new ConvLayer(k, 3, Padding.SAME),
                new MaxPoolLayer("pool0", 1),
                matrix("dense0", 8, new String[] {"+--------", "-------+-"}, new long[] {1, 1}, new long[] {0, 0}, 0)),
                Map.of());
        Reference.Trace t = new Reference(net).run(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        // corner (0,0): 1+2+4+5 = 12; centre: 45; clamped to 0..255 for the 8-bit dense inputs
        assertArrayEquals(new long[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, t.accumulators()[0]);
        assertArrayEquals(t.accumulators()[0], t.outputs()[0]);
        assertArrayEquals(new long[0], t.accumulators()[1]); // a max-pool has no accumulators
        assertArrayEquals(t.outputs()[0], t.outputs()[1]);   // and a 1x1 pool changes nothing
        long sum = 12 + 21 + 16 + 27 + 45 + 33 + 24 + 39 + 28;
        assertArrayEquals(new long[] {12 - (sum - 12), 39 - (sum - 39)}, t.scores());
        assertEquals(1, t.predictedClass());
    }

    @Test
    void channelsAreInnermostInTheMapAndInTheKernelColumns() {
        // A 2x2 map of 2 channels in HWC: (0,0) = (1, 10), (0,1) = (100, 200), (1,0) = (3, 30), (1,1) = (40, 50).
        // A valid 2x2 kernel gives one position; its columns are j = (ky*2 + kx)*2 + c.
        int[] input = {1, 10, 100, 200, 3, 30, 40, 50};
        // neuron 0: +1 only on (ky=1, kx=0, c=1), column (2 + 0)*2 + 1 = 5; neuron 1: +1 only on (0, 1, 0), column 2
        DenseLayer m = matrix("conv0", 8, new String[] {"-----+--", "--+-----"}, new long[] {1, 1}, new long[] {0, 0}, 0);
        DenseLayer d = matrix("dense0", 8, new String[] {"+-", "-+"}, new long[] {1, 1}, new long[] {0, 0}, 0);
        Network net = new Network(new FeatureMap(2, 2, 2), List.of(new ConvLayer(m, 2, Padding.VALID), d), Map.of());
        Reference.Trace t = new Reference(net).run(input);
        long total = 1 + 10 + 100 + 200 + 3 + 30 + 40 + 50;
        // (1,0,c1) = 30, (0,1,c0) = 100: acc = 2v - total
        assertArrayEquals(new long[] {2 * 30 - total, 2 * 100 - total}, t.accumulators()[0]);
    }

    @Test
    void maxPoolTakesTheLargestValueOfEachWindowPerChannel() {
        // A 2x4 map of 2 channels, pooled as it comes in, then read by a dense layer in HWC order.
        int[] input = {1, 9, 2, 8, 3, 7, 4, 6,  5, 0, 6, 1, 0, 2, 9, 3};
        Network net = new Network(new FeatureMap(2, 2, 4), List.of(new MaxPoolLayer("pool0", 2),
                matrix("dense0", 8, new String[] {"++++", "+---"}, new long[] {1, 1}, new long[] {0, 0}, 0)), Map.of());
        Reference.Trace t = new Reference(net).run(input);
        // window (0,0): positions (0,0),(0,1),(1,0),(1,1): c0 = max(1,2,5,6) = 6, c1 = max(9,8,0,1) = 9
        // window (0,1): positions (0,2),(0,3),(1,2),(1,3): c0 = max(3,4,0,9) = 9, c1 = max(7,6,2,3) = 7
        assertArrayEquals(new long[] {6, 9, 9, 7}, t.outputs()[0]);
        assertArrayEquals(new long[] {31, 6 - 9 - 9 - 7}, t.scores());
    }

    @Test
    void inputValuesAreChecked() {
        Network net = RandomNetwork.create(1, new FeatureMap(1, 5, 5), Architecture.parse("2C3-3"), new int[] {4, 2});
        Reference ref = new Reference(net);
        int[] x = new int[25];
        x[7] = 16;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ref.run(x));
        assertEquals("input 7 = 16 is outside 0..15", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ref.run(new int[24]));
    }

    /**
     * A random architecture on this input: one or two conv layers (kernel 1..5, even kernels
     * valid only, never larger than the map), each perhaps followed by a pool that divides the
     * map, perhaps a hidden dense layer, then 2..5 classes.
     */
    static String randomArchitecture(SplittableRandom rnd, FeatureMap input) {
        List<String> tokens = new ArrayList<>();
        int h = input.height();
        int w = input.width();
        int convs = 1 + rnd.nextInt(2);
        for (int i = 0; i < convs; i++) {
            int k = 1 + rnd.nextInt(Math.min(5, Math.min(h, w)));
            boolean valid = k % 2 == 0 || rnd.nextBoolean();
            tokens.add((1 + rnd.nextInt(4)) + "C" + k + (valid ? "v" : ""));
            if (valid) {
                h -= k - 1;
                w -= k - 1;
            }
            List<Integer> pools = new ArrayList<>();
            for (int p = 1; p <= 3; p++) {
                if (h % p == 0 && w % p == 0) {
                    pools.add(p);
                }
            }
            if (rnd.nextBoolean()) {
                int p = pools.get(rnd.nextInt(pools.size()));
                tokens.add("MP" + p);
                h /= p;
                w /= p;
            }
        }
        if (rnd.nextBoolean()) {
            tokens.add((1 + rnd.nextInt(6)) + "FC");
        }
        tokens.add(Integer.toString(2 + rnd.nextInt(4)));
        return String.join("-", tokens);
    }

    private static final FeatureMap[] INPUTS = {
        new FeatureMap(1, 5, 7), new FeatureMap(3, 9, 9), new FeatureMap(1, 9, 9), new FeatureMap(3, 5, 7),
        new FeatureMap(1, 6, 6), new FeatureMap(3, 7, 5), new FeatureMap(1, 1, 1), new FeatureMap(3, 2, 3),
    };

    static Network randomNetwork(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        FeatureMap input = INPUTS[rnd.nextInt(INPUTS.length)];
        Architecture arch = Architecture.parse(randomArchitecture(rnd, input));
        int weightLayers = (int) arch.blocks().stream().filter(b -> !(b instanceof Architecture.Pool)).count() + 1;
        int[] bits = new int[weightLayers];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = 1 + rnd.nextInt(8);
        }
        return RandomNetwork.create(seed, input, arch, bits);
    }

    private static int[] randomInput(SplittableRandom rnd, Network net, int trial) {
        int max = (1 << net.inputBits()) - 1;
        int[] x = new int[net.inputSize()];
        for (int j = 0; j < x.length; j++) {
            x[j] = trial == 0 ? max : trial == 1 ? 0 : rnd.nextInt(max + 1);
        }
        return x;
    }

    /** The first difference between the two traces, or null when they agree everywhere. */
    private static String difference(Reference.Trace t, NaiveReference.Result naive) {
        if (t.accumulators().length != naive.accumulators().size()) {
            return "trace has " + t.accumulators().length + " entries, naive " + naive.accumulators().size();
        }
        for (int i = 0; i < t.accumulators().length; i++) {
            if (!java.util.Arrays.equals(t.accumulators()[i], naive.accumulators().get(i))) {
                return "accumulators of stack layer " + i;
            }
            if (!java.util.Arrays.equals(t.outputs()[i], naive.outputs().get(i))) {
                return "outputs of stack layer " + i;
            }
        }
        return t.predictedClass() == naive.predictedClass() ? null : "class";
    }

    @Test
    void agreesWithTheNaiveImplementationOnRandomNetworks() {
        boolean sawNegative = false;
        boolean sawZero = false;
        boolean sawPool = false;
        boolean sawSame = false;
        boolean sawValid = false;
        SplittableRandom inputs = new SplittableRandom(99);
        for (long seed = 0; seed < 150; seed++) {
            Network net = randomNetwork(seed);
            for (DenseLayer l : net.layers()) {
                for (long m : l.mul()) {
                    sawNegative |= m < 0;
                    sawZero |= m == 0;
                }
            }
            for (Layer l : net.stack()) {
                sawPool |= l instanceof MaxPoolLayer p && p.p() > 1;
                sawSame |= l instanceof ConvLayer c && c.padding() == Padding.SAME && c.k() > 1;
                sawValid |= l instanceof ConvLayer c && c.padding() == Padding.VALID && c.k() > 1;
            }
            Reference ref = new Reference(net);
            for (int trial = 0; trial < 8; trial++) {
                int[] x = randomInput(inputs, net, trial);
                String diff = difference(ref.run(x), NaiveReference.run(net, x));
                assertEquals(null, diff, "seed " + seed + " (" + net.describe() + "), input " + trial);
            }
        }
        assertTrue(sawNegative && sawZero && sawPool && sawSame && sawValid, "the random networks miss a case");
    }

    /** The comparison above can fail: one conv weight changed is seen on some input. */
    @Test
    void aOneBitChangeOfAConvWeightIsSeen() {
        Network net = randomNetwork(3);
        ConvLayer conv = (ConvLayer) net.stack().get(0);
        DenseLayer m = conv.matrix();
        int neuron = 0;
        while (m.mul(neuron) == 0) {
            neuron++;  // a channel with gamma = 0 ignores its weights
        }
        Network flipped = net.withLayer(0, m.withWeights(m.weights().withFlipped(neuron, m.inputs() / 2)));
        Reference ref = new Reference(net);
        SplittableRandom rnd = new SplittableRandom(1);
        boolean outputsDiffer = false;
        for (int trial = 0; trial < 50 && !outputsDiffer; trial++) {
            int[] x = randomInput(rnd, net, trial);
            Reference.Trace t = ref.run(x);
            NaiveReference.Result other = NaiveReference.run(flipped, x);
            if (trial == 0) {
                assertFalse(difference(t, other) == null, "an all-maximum input must see the flipped weight");
            }
            outputsDiffer = !java.util.Arrays.equals(t.outputs()[0], other.outputs().get(0));
        }
        assertTrue(outputsDiffer, "no input showed the flipped weight in the layer's outputs");
    }

    @Test
    void anMlpTraceHasOneEntryPerWeightLayer() {
        Network net = RandomNetwork.create(3, new int[] {12, 5, 4}, new int[] {8, 3});
        int[] x = new int[12];
        Reference.Trace t = new Reference(net).run(x);
        assertEquals(2, t.outputs().length);
        assertEquals(5, t.outputs()[0].length);
        assertEquals(null, difference(t, NaiveReference.run(net, x)));
    }
}
