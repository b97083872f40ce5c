package org.bcflow.qonnx.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bcflow.core.BcflowException;
import org.bcflow.core.ConvLayer;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.MaxPoolLayer;
import org.bcflow.core.Network;
import org.bcflow.qonnx.Attribute;
import org.bcflow.qonnx.ElementType;
import org.bcflow.qonnx.Node;
import org.bcflow.qonnx.OnnxGraph;
import org.bcflow.qonnx.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Models built here in FINN's and Brevitas's forms, imported and checked against the model run
 * in double; and what the importer refuses, each in one line naming the node.
 */
class ImporterTest {
    private static final String Q = OnnxGraph.QONNX_DOMAIN;

    /** ±scale weights of the given shape, seeded. */
    private static Tensor signs(SplittableRandom rnd, double scale, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = rnd.nextBoolean() ? scale : -scale;
        }
        return Tensor.of(shape, w);
    }

    private static Tensor vector(SplittableRandom rnd, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        return Tensor.vector(v);
    }

    /**
     * A FINN-style CNN on 6x6 images: a bipolar input quantizer as MultiThreshold (out_scale 2,
     * out_bias -1), a valid 3x3 Conv on bipolar weights of scale 0.5, batch norm with some
     * negative gammas, a 2-bit MultiThreshold, a 2x2 MaxPool, Flatten in CHW order, a MatMul
     * whose rows therefore need permuting, a positive scalar Mul, and TopK.
     */
    private static OnnxGraph finnCnn(long seed, boolean negativeGamma) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int c = 4;
        double[] gamma = vector(rnd, c, 0.5, 2).data();
        if (negativeGamma) {
            gamma[1] = -gamma[1];
            gamma[3] = -gamma[3];
        }
        double[] th = new double[c * 3];
        for (int o = 0; o < c; o++) {
            th[o * 3] = -1.0;
            th[o * 3 + 1] = 0.0;
            th[o * 3 + 2] = 0.75 + 0.1 * o;
        }
        return OnnxGraph.builder()
                .input("x", ElementType.FLOAT, 1, 1, 6, 6)
                .initializer("in_th", Tensor.of(new int[] {1, 1}, 0.5))
                .node(Node.of("MultiThreshold", List.of("x", "in_th"), List.of("xq")).withName("inq").withDomain(Q)
                        .with("out_scale", Attribute.ofFloat(2.0)).with("out_bias", Attribute.ofFloat(-1.0)))
                .initializer("w1", signs(rnd, 0.5, c, 1, 3, 3))
                .initializer("one", Tensor.scalar(1.0))
                .node(Node.of("BipolarQuant", List.of("w1", "one"), List.of("w1q")).withName("w1quant").withDomain(Q))
                .node(Node.of("Conv", List.of("xq", "w1q"), List.of("h1")).withName("first_conv")
                        .with("kernel_shape", Attribute.ofInts(3, 3)).with("pads", Attribute.ofInts(0, 0, 0, 0)))
                .initializer("g", Tensor.vector(gamma)).initializer("b", vector(rnd, c, -1, 1))
                .initializer("mean", vector(rnd, c, -1, 1)).initializer("var", vector(rnd, c, 0.5, 3))
                .node(Node.of("BatchNormalization", List.of("h1", "g", "b", "mean", "var"), List.of("bn1")).withName("bn_a"))
                .initializer("th1", Tensor.of(new int[] {c, 3}, th))
                .node(Node.of("MultiThreshold", List.of("bn1", "th1"), List.of("a1")).withName("act_a").withDomain(Q))
                .node(Node.of("MaxPool", List.of("a1"), List.of("p1")).withName("pool_a")
                        .with("kernel_shape", Attribute.ofInts(2, 2)).with("strides", Attribute.ofInts(2, 2)))
                .node(Node.of("Flatten", List.of("p1"), List.of("f")).withName("flat"))
                .initializer("w2", signs(rnd, 1.0, c * 2 * 2, 5))
                .node(Node.of("MatMul", List.of("f", "w2"), List.of("h2")).withName("fc"))
                .initializer("k", Tensor.scalar(0.37))
                .node(Node.of("Mul", List.of("h2", "k"), List.of("scores")).withName("scale"))
                .initializer("topk_k", Tensor.longs(1), ElementType.INT64)
                .node(Node.of("TopK", List.of("scores", "topk_k"), List.of("top_values", "top_index")).withName("top"))
                .output("top_index", ElementType.INT64, 1, 1)
                .build();
    }

    private static org.bcflow.core.data.LabeledImages images(int count, long seed) {
        return RoundTripTest.images(new FeatureMap(1, 6, 6), count, seed);
    }

    @Test
    void aFinnStyleCnnImportsExactly() {
        for (boolean negative : new boolean[] {false, true}) {
            OnnxGraph g = OnnxGraph.parse(finnCnn(3, negative).toBytes(), "finn-cnn");
            ImportedNetwork imp = QonnxImporter.importGraph(g, "finn-cnn");
            Network net = imp.network();
            assertEquals(new FeatureMap(1, 6, 6), net.input());
            assertTrue(net.stack().get(0) instanceof ConvLayer);
            assertTrue(net.stack().get(1) instanceof MaxPoolLayer);
            assertTrue(net.stack().get(2) instanceof DenseLayer);
            assertEquals("first", net.stack().get(0).name(), "a node NAME_conv names the layer NAME, as bcflow exports it");
            assertEquals(2, net.layer(1).inputBits());
            assertTrue(net.layer(0).hasThresholds());
            assertEquals(List.of(128L), java.util.Arrays.stream(net.quantizer().thresholds()).boxed().toList(),
                    "x >= 0.5 is pixel >= 127.5");
            ImportCheck.Result r = ImportCheck.run(imp, images(60, 4));
            assertTrue(r.agrees(), r.firstDisagreement());
            assertEquals(60L * (36 + 4 * 16 + 4 * 4), r.activationsCompared());
        }
    }

    @Test
    void theCheckCatchesANetworkThatDiffersFromTheModel() {
        ImportedNetwork imp = QonnxImporter.importGraph(finnCnn(5, true), "finn-cnn");
        Network net = imp.network();
        DenseLayer l = net.layer(0);
        long[][] t = l.thresholds();
        long never = (long) l.inputs() * l.maxInput() + 1;
        for (long[] row : t) {  // every threshold that can rise by one without passing the next, one higher
            for (int j = row.length - 1; j >= 0; j--) {
                if (row[j] < (j + 1 < row.length ? row[j + 1] : never)) {
                    row[j] += 1;
                }
            }
        }
        Network wrong = net.withLayer(0, DenseLayer.withThresholds(l.name(), l.weights(), l.inputBits(), t));
        ImportedNetwork broken = new ImportedNetwork(wrong, imp.graph(), imp.inputName(), imp.inputShape(), imp.steps(), imp.probes(),
                imp.scores());
        ImportCheck.Result r = ImportCheck.run(broken, images(200, 6));
        assertFalse(r.agrees());
        assertTrue(r.activationDisagreements() > 0);
        assertTrue(r.firstDisagreement().contains("'a1'"), r.firstDisagreement());
    }

    private static OnnxGraph.Builder mlp(SplittableRandom rnd) {
        return OnnxGraph.builder()
                .input("x", ElementType.FLOAT, 1, 8)
                .initializer("s", Tensor.scalar(1.0))
                .node(Node.of("BipolarQuant", List.of("x", "s"), List.of("xq")).withName("inq").withDomain(Q))
                .initializer("w", signs(rnd, 1.0, 8, 3));
    }

    private static String refusal(OnnxGraph g) {
        BcflowException e = assertThrows(BcflowException.class, () -> QonnxImporter.importGraph(g, "m.onnx"));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void whatCannotBeImportedExactlyIsRefusedNamingTheNode() {
        SplittableRandom rnd = new SplittableRandom(1);
        // an activation bcflow does not have
        OnnxGraph tanh = mlp(rnd)
                .node(Node.of("MatMul", List.of("xq", "w"), List.of("h")).withName("fc1"))
                .node(Node.of("Tanh", List.of("h"), List.of("t")).withName("act"))
                .initializer("w2", signs(rnd, 1.0, 3, 2))
                .node(Node.of("MatMul", List.of("t", "w2"), List.of("y")).withName("fc2"))
                .output("y", ElementType.FLOAT, 1, 2).build();
        String m = refusal(tanh);
        assertTrue(m.contains("node act (op Tanh)") && m.contains("supported:"), m);
        // per-class scales: the argmax of integer scores would differ
        OnnxGraph perClass = mlp(rnd)
                .node(Node.of("MatMul", List.of("xq", "w"), List.of("h")).withName("fc1"))
                .initializer("k", Tensor.vector(1.0, 2.0, 1.0))
                .node(Node.of("Mul", List.of("h", "k"), List.of("y")).withName("scale"))
                .output("y", ElementType.FLOAT, 1, 3).build();
        m = refusal(perClass);
        assertTrue(m.contains("scales or offsets the classes differently"), m);
        // a branch: two readers of one value
        OnnxGraph branch = mlp(rnd)
                .node(Node.of("MatMul", List.of("xq", "w"), List.of("h")).withName("fc1"))
                .node(Node.of("Relu", List.of("xq"), List.of("r")).withName("side"))
                .output("h", ElementType.FLOAT, 1, 3).output("r", ElementType.FLOAT, 1, 8).build();
        m = refusal(branch);
        assertTrue(m.contains("read by 2 nodes"), m);
        // a weight that is not ±1 after quantization
        OnnxGraph ternary = OnnxGraph.builder()
                .input("x", ElementType.FLOAT, 1, 2)
                .initializer("w", Tensor.of(new int[] {2, 2}, 1, 0, -1, 1))
                .node(Node.of("MatMul", List.of("x", "w"), List.of("y")).withName("fc"))
                .output("y", ElementType.FLOAT, 1, 2).build();
        m = refusal(ternary);
        assertTrue(m.contains("node fc (op MatMul)") && m.contains("not ±1"), m);
    }

    @Test
    void zeroPaddingOfBipolarValuesAndPoolingBeforeTheActivationAreRefused() {
        SplittableRandom rnd = new SplittableRandom(2);
        List<Node> nodes = new ArrayList<>();
        OnnxGraph.Builder b = OnnxGraph.builder()
                .input("x", ElementType.FLOAT, 1, 1, 4, 4)
                .initializer("s", Tensor.scalar(1.0))
                .initializer("w", signs(rnd, 1.0, 2, 1, 3, 3));
        nodes.add(Node.of("BipolarQuant", List.of("x", "s"), List.of("xq")).withName("inq").withDomain(Q));
        nodes.add(Node.of("Conv", List.of("xq", "w"), List.of("h")).withName("conv")
                .with("kernel_shape", Attribute.ofInts(3, 3)).with("pads", Attribute.ofInts(1, 1, 1, 1)));
        nodes.forEach(b::node);
        OnnxGraph padded = b.output("h", ElementType.FLOAT, 1, 2, 4, 4).build();
        String m = refusal(padded);
        assertTrue(m.contains("node conv (op Conv)") && m.contains("zero is not a level"), m);

        OnnxGraph.Builder p = OnnxGraph.builder()
                .input("x", ElementType.FLOAT, 1, 1, 4, 4)
                .initializer("th", Tensor.of(new int[] {1, 1}, 0.5))
                .initializer("w", signs(rnd, 1.0, 2, 1, 3, 3))
                .initializer("s", Tensor.scalar(1.0))
                .initializer("w2", signs(rnd, 1.0, 2, 3));
        p.node(Node.of("MultiThreshold", List.of("x", "th"), List.of("xq")).withName("inq").withDomain(Q));
        p.node(Node.of("Conv", List.of("xq", "w"), List.of("h")).withName("conv")
                .with("kernel_shape", Attribute.ofInts(3, 3)).with("pads", Attribute.ofInts(1, 1, 1, 1)));
        p.node(Node.of("MaxPool", List.of("h"), List.of("hp")).withName("early_pool")
                .with("kernel_shape", Attribute.ofInts(2, 2)).with("strides", Attribute.ofInts(2, 2)));
        p.node(Node.of("BipolarQuant", List.of("hp", "s"), List.of("a")).withName("act").withDomain(Q));
        p.node(Node.of("Flatten", List.of("a"), List.of("f")).withName("flat"));
        p.initializer("w3", signs(rnd, 1.0, 8, 3));
        p.node(Node.of("MatMul", List.of("f", "w3"), List.of("y")).withName("fc"));
        m = refusal(p.output("y", ElementType.FLOAT, 1, 3).build());
        assertTrue(m.contains("node early_pool (op MaxPool)") && m.contains("pools before the quantizer"), m);
    }
}
