package org.bcflow.qonnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bcflow.core.Architecture;
import org.bcflow.core.BcflowException;
import org.bcflow.core.BitMatrix;
import org.bcflow.core.ConvLayer;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.Layer;
import org.bcflow.core.MaxPoolLayer;
import org.bcflow.core.Network;
import org.bcflow.core.Padding;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported graph, written to a file, read back and run in double, against the reference
 * interpreter: the same scores, class, accumulators and codes of every layer, on random networks
 * of every kind and on random, all-0 and all-255 inputs.
 */
class QonnxExporterTest {
    private static final int INPUTS = 30;

    @TempDir
    Path dir;

    private static Network mlp(long seed, int[] bits) {
        return RandomNetwork.create(seed, new int[] {64, 16, 12, 10}, bits);
    }

    private static Network cnn(long seed, String arch, int[] bits) {
        return RandomNetwork.create(seed, new FeatureMap(1, 8, 8), Architecture.parse(arch), bits);
    }

    @Test
    void mlpMatchesTheReference() {
        assertExact(mlp(1, new int[] {8, 2, 2}), 11);
    }

    @Test
    void mlpWithQuantizerAndThresholdsMatchesTheReference() {
        Network net = RandomNetwork.withImportedStages(mlp(2, new int[] {2, 2, 1}), 2, 8);
        assertNotNull(net.quantizer());
        assertTrue(net.layer(0).hasThresholds(), "the test needs a layer of thresholds");
        OnnxGraph g = assertExact(net, 12);
        assertTrue(hasNode(g, "MultiThreshold", "input_multithreshold") && hasNode(g, "MultiThreshold", "dense0_multithreshold"));
    }

    @Test
    void cnnMatchesTheReference() {
        OnnxGraph g = assertExact(cnn(3, "4C3-MP2-6C3v-5", new int[] {8, 3, 2}), 13);
        assertTrue(hasNode(g, "Conv", "conv0_conv") && hasNode(g, "MaxPool", "pool0_maxpool"));
    }

    @Test
    void cnnWithQuantizerAndThresholdsMatchesTheReference() {
        Network net = RandomNetwork.withImportedStages(cnn(4, "4C3-MP2-6C3v-5", new int[] {2, 3, 2}), 4, 8);
        assertTrue(net.layer(0).hasThresholds(), "the test needs a layer of thresholds");
        assertExact(net, 14);
    }

    @Test
    void denseAfterConvFlattensHwc() {
        OnnxGraph g = assertExact(cnn(5, "4C3-MP2-8FC-5", new int[] {8, 3, 2}), 15);
        assertTrue(hasNode(g, "Transpose", "dense0_transpose"));
    }

    @Test
    void denseAfterConvWithStagesMatchesTheReference() {
        assertExact(RandomNetwork.withImportedStages(cnn(6, "4C3-MP2-8FC-5", new int[] {2, 3, 2}), 6, 8), 16);
    }

    @Test
    void convAfterADenseLayerAndConvScores() {
        // a dense layer's vector is the 1 x 1 map a 1x1 conv reads; a conv's 1 x 1 output map gives the scores
        SplittableRandom rnd = new SplittableRandom(9);
        DenseLayer dense = new DenseLayer("dense0", randomMatrix(rnd, 6, 16), 8, new long[] {1, 2, -1, 3, 0, 1},
                new long[] {40, 0, 100, -5, 17, 3}, 5);
        DenseLayer matrix = new DenseLayer("conv0", randomMatrix(rnd, 5, 6), 2, new long[] {1, -2, 3, 1, 1},
                new long[] {0, 1, -7, 2, 9}, 0);
        Network net = new Network(new FeatureMap(1, 4, 4), List.of(dense, new ConvLayer(matrix, 1, Padding.SAME)), Map.of());
        OnnxGraph g = assertExact(net, 20);
        assertTrue(hasNode(g, "Reshape", "conv0_to_map") && hasNode(g, "Reshape", "conv0_flatten"));
    }

    @Test
    void graphIsAnnotatedQonnx() {
        Network net = RandomNetwork.withImportedStages(cnn(10, "4C3-MP2-8FC-5", new int[] {2, 3, 2}), 10, 8);
        Path file = dir.resolve("a.onnx");
        QonnxExporter.write(net, file);
        OnnxGraph g = OnnxGraph.read(file);
        assertEquals(Map.of("", 13L, OnnxGraph.QONNX_DOMAIN, 1L), g.opsetImports());
        assertArrayEquals(new int[] {1, 1, 8, 8}, g.inputs().get(0).shape());
        assertArrayEquals(new int[] {1, 5}, g.outputs().get(0).shape());
        assertEquals("UINT8", g.finnDatatype("input_raw"));
        assertEquals("UINT2", g.finnDatatype("input_codes"));
        assertEquals("BIPOLAR", g.finnDatatype("conv0_weights_bipolar"));
        assertEquals("BIPOLAR", g.finnDatatype("dense1_weights_bipolar"));
        assertEquals("UINT3", g.finnDatatype(QonnxExporter.codes("conv0")));
        assertEquals("UINT3", g.finnDatatype(QonnxExporter.codes("pool0")));
        assertEquals("UINT2", g.finnDatatype(QonnxExporter.codes("dense0")));
        for (Node n : g.nodes()) {
            boolean custom = List.of("Quant", "BipolarQuant", "MultiThreshold").contains(n.opType());
            assertEquals(custom ? OnnxGraph.QONNX_DOMAIN : "", n.domain(), n.name());
        }
        List<String> names = g.nodes().stream().map(Node::name).toList();
        assertEquals(names.size(), names.stream().distinct().count(), "node names are unique");
        assertFalse(names.contains(""), "every node is named");
    }

    @Test
    void sixteenBitInputsAreRecoveredExactly() {
        // raw / 65535 in float32 times 65535 falls just below raw for about half the values:
        // the input Quant must round to nearest, not floor
        Network net = RandomNetwork.withImportedStages(mlp(8, new int[] {2, 2, 1}), 8, 16);
        assertEquals(16, net.inputBits());
        assertExact(net, 19);
    }

    @Test
    void shiftedScoresAreFloored() {
        Network base = mlp(7, new int[] {8, 2, 2});
        int last = base.layers().size() - 1;
        DenseLayer l = base.layer(last);
        Network net = base.withLayer(last, new DenseLayer(l.name(), l.weights(), l.inputBits(), l.mul(), l.add(), 3));
        OnnxGraph g = assertExact(net, 17);
        assertTrue(hasNode(g, "Floor", l.name() + "_floor"));
        assertFalse(hasNode(g, "Floor", base.layer(0).name() + "_floor"), "only the scores are floored");
        assertFalse(QonnxExporter.export(base).nodes().stream().anyMatch(n -> n.opType().equals("Floor")),
                "no Floor without a shift");
    }

    @Test
    void offsetsFloat32CannotHoldAreSplitExactly() {
        // a single layer of scores: 2^40 + 12345 has more significant bits than float32's 24
        Network net = singleLayer(1, (1L << 40) + 12345, 0);
        OnnxGraph g = assertExact(net, 18);
        assertTrue(hasNode(g, "Add", "out_plus_add1"), "a second Add for the rest of the offset");
        assertEquals(1L << 40, (long) g.initializers().get("out_add").at(0));
    }

    @Test
    void sumsBeyond2To53AreRefusedInOneLine() {
        Network net = singleLayer(1, 1L << 54, 0);
        BcflowException e = assertThrows(BcflowException.class, () -> QonnxExporter.export(net));
        assertTrue(e.getMessage().startsWith("out: ") && e.getMessage().contains("2^53"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        QonnxExporter.export(singleLayer(1, 1L << 50, 0));  // well within: exported
    }

    @Test
    void thresholdsFloat32CannotHoldAreRefusedInOneLine() {
        // 512 inputs of 16 bits: accumulators reach 2^25, past float32's exact integers
        BitMatrix.Builder w = new BitMatrix.Builder(2, 512);
        long t = (1L << 24) + 1;
        DenseLayer hidden = DenseLayer.withThresholds("hidden", w.build(), 16, new long[][] {{5}, {t}});
        DenseLayer out = new DenseLayer("out", new BitMatrix.Builder(2, 2).build(), 1, new long[] {1, 1}, new long[] {0, 0}, 0);
        Network net = new Network(List.of(hidden, out), Map.of());
        BcflowException e = assertThrows(BcflowException.class, () -> QonnxExporter.export(net));
        assertTrue(e.getMessage().startsWith("hidden: ") && e.getMessage().contains(Long.toString(t)), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static BitMatrix randomMatrix(SplittableRandom rnd, int rows, int cols) {
        BitMatrix.Builder w = new BitMatrix.Builder(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                w.set(r, c, rnd.nextBoolean());
            }
        }
        return w.build();
    }

    @Test
    void namesTwoLayersWouldShareAreRefusedInOneLine() {
        // dense0's BipolarQuant and the Quant of a hidden layer dense0_weights would both be dense0_weights_quant
        List<DenseLayer> l = mlp(11, new int[] {8, 2, 2}).layers();
        List<DenseLayer> renamed = List.of(l.get(0), rename(l.get(1), "dense0_weights"), l.get(2));
        Network net = new Network(renamed, Map.of());
        BcflowException e = assertThrows(BcflowException.class, () -> QonnxExporter.export(net));
        assertTrue(e.getMessage().contains("dense0_weights_quant"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static DenseLayer rename(DenseLayer l, String name) {
        return new DenseLayer(name, l.weights(), l.inputBits(), l.mul(), l.add(), l.shift());
    }

    /** A one-layer network on 4 inputs of 8 bits, named "out", every neuron with this mul and add. */
    private static Network singleLayer(long mul, long add, int shift) {
        BitMatrix.Builder w = new BitMatrix.Builder(3, 4);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                w.set(r, c, (r + c) % 3 != 0);
            }
        }
        long[] m = {mul, -mul, 2 * mul};
        long[] a = {add, -add, add + 1};
        return new Network(List.of(new DenseLayer("out", w.build(), 8, m, a, shift)), Map.of());
    }

    private static boolean hasNode(OnnxGraph g, String opType, String name) {
        return g.nodes().stream().anyMatch(n -> n.opType().equals(opType) && n.name().equals(name));
    }

    /**
     * Exports, writes, reads back and runs the graph on all-0, all-max and random inputs, and
     * compares everything with the reference; returns the graph as read.
     */
    private OnnxGraph assertExact(Network net, long seed) {
        Path file = dir.resolve("net.onnx");
        QonnxExporter.write(net, file);
        OnnxGraph g = OnnxGraph.read(file);
        assertEquals("bcflow", g.name());
        GraphExecutor exec = new GraphExecutor(g);
        Reference ref = new Reference(net);
        int max = (1 << net.inputBits()) - 1;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int t = 0; t < INPUTS; t++) {
            int[] pixels = new int[net.inputSize()];
            for (int j = 0; j < pixels.length; j++) {
                pixels[j] = t == 0 ? 0 : t == 1 ? max : rnd.nextInt(max + 1);
            }
            Reference.Trace trace = ref.run(pixels);
            Map<String, Tensor> values = exec.run(Map.of(QonnxExporter.INPUT, inputTensor(net, pixels, max)));
            String what = "input " + t + " of " + net.describe();
            assertArrayEquals(Arrays.stream(pixels).asDoubleStream().toArray(), hwc(values.get("input_raw")), 0.0,
                    what + ": raw input values");
            double[] scores = values.get(QonnxExporter.SCORES).data();
            assertArrayEquals(toDoubles(trace.scores()), scores, 0.0, what + ": scores");
            assertEquals(trace.predictedClass(), argmax(scores), what + ": class");
            List<Layer> stack = net.stack();
            for (int i = 0; i < stack.size(); i++) {
                Layer l = stack.get(i);
                if (!(l instanceof MaxPoolLayer)) {
                    assertArrayEquals(toDoubles(trace.accumulators()[i]), hwc(values.get(l.name() + "_acc")), 0.0,
                            what + ": accumulators of " + l.name());
                }
                if (i + 1 < stack.size()) {
                    assertArrayEquals(toDoubles(trace.outputs()[i]), hwc(values.get(QonnxExporter.codes(l.name()))), 0.0,
                            what + ": codes of " + l.name());
                }
            }
        }
        return g;
    }

    /** The graph input a user would give: raw / max rounded to float32, NCHW for a map, [1, N] for an MLP. */
    private static Tensor inputTensor(Network net, int[] hwc, int max) {
        FeatureMap in = net.input();
        double[] v = new double[hwc.length];
        int at = 0;
        for (int c = 0; c < in.channels(); c++) {
            for (int y = 0; y < in.height(); y++) {
                for (int x = 0; x < in.width(); x++) {
                    v[at++] = (float) (hwc[in.index(y, x, c)] / (double) max);
                }
            }
        }
        int[] shape = net.isMlp() ? new int[] {1, hwc.length} : new int[] {1, in.channels(), in.height(), in.width()};
        return Tensor.of(shape, v);
    }

    /** A [1, N] vector as it is; a [1, C, H, W] map in HWC order. */
    private static double[] hwc(Tensor t) {
        assertNotNull(t);
        if (t.rank() == 2) {
            return t.data();
        }
        int c = t.dim(1);
        int h = t.dim(2);
        int w = t.dim(3);
        double[] out = new double[t.size()];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    out[(y * w + x) * c + ch] = t.get(0, ch, y, x);
                }
            }
        }
        return out;
    }

    private static double[] toDoubles(long[] v) {
        return Arrays.stream(v).asDoubleStream().toArray();
    }

    /** The index of the largest value, the lowest on ties, as the integer network decides. */
    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
