package org.bcflow.qonnx.importer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bcflow.core.BcflowException;
import org.bcflow.core.BitMatrix;
import org.bcflow.core.ConvLayer;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.InputQuantizer;
import org.bcflow.core.Layer;
import org.bcflow.core.MaxPoolLayer;
import org.bcflow.core.Network;
import org.bcflow.core.Padding;
import org.bcflow.qonnx.GraphExecutor;
import org.bcflow.qonnx.Node;
import org.bcflow.qonnx.OnnxGraph;
import org.bcflow.qonnx.Tensor;
import org.bcflow.qonnx.ValueInfo;

/**
 * Turns a QONNX model (Brevitas/FINN: binary weights, quantized activations) into bcflow's integer
 * network, exactly, or refuses it in one line naming the node.
 *
 * <p>The model's data path must be a chain from its one input: an input stage (scales, shifts,
 * shape ops, an optional quantizer), then weight layers (MatMul, Gemm or Conv on ±1 weights, each
 * column with one positive scale), each followed by element-wise constants (batch norm, Mul, Add,
 * ...) and a quantizer (BipolarQuant, Quant, MultiThreshold, Sign; a MaxPool after it), the last
 * by element-wise constants only (the scores; a final ArgMax or TopK is allowed).
 *
 * <p>Nothing is approximated: each quantizer is rewritten by running the model's own nodes, in
 * double, on <em>every</em> value the integer accumulator (or the 8-bit input) can take, and
 * reading off where the code changes. The input values are {@code pixel / (2^8 - 1)}, the
 * convention of Brevitas and FINN MNIST models.
 */
public final class QonnxImporter {
    /** Bits of the raw input values (pixels). */
    public static final int RAW_BITS = 8;
    /** Accumulator values fed to a layer's nodes at once. */
    private static final int CHUNK = 2048;

    private static final Set<String> SHAPE_OPS = Set.of("Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Identity");
    private static final Set<String> AFFINE_OPS = Set.of("Mul", "Add", "Sub", "Div", "BatchNormalization", "Neg");
    private static final Set<String> END_OPS = Set.of("ArgMax", "TopK", "Softmax", "LogSoftmax");
    private static final String SUPPORTED = "MatMul, Gemm, Conv, MaxPool, BatchNormalization, Mul, Add, Sub, Div, Neg, "
            + "Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Identity, Sign, BipolarQuant, Quant, IntQuant, MultiThreshold, "
            + "Floor (after the last layer), ArgMax, TopK, Softmax";

    private final OnnxGraph graph;
    private final String source;
    private final Map<String, Tensor> constants = new HashMap<>();
    private final List<Layer> stack = new ArrayList<>();
    private final List<String> steps = new ArrayList<>();
    private final List<ImportedNetwork.Probe> probes = new ArrayList<>();
    private int denses;
    private int convs;
    private int pools;

    private QonnxImporter(OnnxGraph graph, String source) {
        this.graph = graph;
        this.source = source;
        constants.putAll(graph.initializers());
        constants.putAll(GraphExecutor.foldConstants(graph));
    }

    public static ImportedNetwork read(Path file) {
        return importGraph(OnnxGraph.read(file), file.getFileName().toString());
    }

    public static ImportedNetwork importGraph(OnnxGraph graph, String source) {
        return new QonnxImporter(graph, source).run();
    }

    /** The data path: the current value's name, and the bcflow map it holds (in the model's own layout). */
    private ImportedNetwork run() {
        if (graph.inputs().size() != 1) {
            throw new BcflowException(source + ": the model has " + graph.inputs().size() + " inputs; bcflow imports models of one");
        }
        ValueInfo in = graph.inputs().get(0);
        int[] shape = in.shape();
        FeatureMap input = inputMap(in);
        List<Node> chain = chain(in.name());
        int w = firstWeight(chain, 0);
        if (w < 0) {
            throw new BcflowException(source + ": no MatMul, Gemm or Conv on the data path; nothing to import");
        }
        Stage first = inputStage(chain.subList(0, w), in.name(), shape, input);
        InputQuantizer quantizer = first.quantizer;
        Levels levels = first.levels;
        FeatureMap map = input;
        String value = first.value;
        int[] toHwc = first.toHwc;
        int at = w;
        while (at < chain.size()) {
            Node weight = chain.get(at);
            int next = firstWeight(chain, at + 1);
            List<Node> post = chain.subList(at + 1, next < 0 ? chain.size() : next);
            boolean last = next < 0;
            LayerStep step = weightLayer(weight, post, last, levels, map, toHwc, value);
            stack.addAll(step.layers);
            map = step.map;
            levels = step.levels;
            value = step.value;
            toHwc = step.toHwc;
            at = last ? chain.size() : next;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("origin", "imported from " + source);
        meta.put("producer", graph.name());
        Network net;
        // dense layers from the start take the map as one vector (HWC order, as toHwc has it): an MLP
        FeatureMap netInput = isWeight(chain.get(w)) && chain.get(w).opType().equals("Conv") ? input : FeatureMap.vector(input.size());
        try {
            net = new Network(netInput, stack, meta, quantizer);
        } catch (IllegalArgumentException e) {
            throw new BcflowException(source + ": the imported network is not one bcflow can hold: " + e.getMessage());
        }
        String scores = w >= 0 ? chain.get(chain.size() - 1).outputs().get(0) : null;
        for (int i = chain.size() - 1; i >= 0 && END_OPS.contains(chain.get(i).opType()); i--) {
            scores = chain.get(i).inputs().get(0);
        }
        return new ImportedNetwork(net, graph, in.name(), shape, List.copyOf(steps), List.copyOf(probes), scores);
    }

    private FeatureMap inputMap(ValueInfo in) {
        int[] s = in.shape();
        if (s == null || s.length < 2 || s[0] != 1 && s[0] != -1) {
            throw new BcflowException(source + ": input '" + in.name() + "' has shape " + java.util.Arrays.toString(s)
                    + "; bcflow imports [1, N] vectors and [1, C, H, W] maps");
        }
        for (int d = 1; d < s.length; d++) {
            if (s[d] < 1) {
                throw new BcflowException(source + ": input '" + in.name() + "' has an open dimension " + d + "; bcflow needs fixed sizes");
            }
        }
        if (s.length == 2) {
            return FeatureMap.vector(s[1]);
        }
        if (s.length == 4) {
            return new FeatureMap(s[1], s[2], s[3]);
        }
        throw new BcflowException(source + ": input '" + in.name() + "' has rank " + s.length + "; bcflow imports [1, N] and [1, C, H, W]");
    }

    /** The nodes reading the data, in order: each must be the only reader of the value before it. */
    private List<Node> chain(String start) {
        Map<String, List<Node>> readers = new HashMap<>();
        for (Node n : graph.nodes()) {
            if (n.outputs().stream().allMatch(constants::containsKey)) {
                continue;  // computed from constants alone
            }
            for (String i : n.inputs()) {
                readers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
            }
        }
        Set<String> outputs = new java.util.HashSet<>();
        graph.outputs().forEach(o -> outputs.add(o.name()));
        List<Node> chain = new ArrayList<>();
        String cur = start;
        while (true) {
            List<Node> r = readers.getOrDefault(cur, List.of());
            if (r.isEmpty()) {
                if (!outputs.contains(cur)) {
                    throw new BcflowException(source + ": value '" + cur + "' on the data path is neither read nor a graph output");
                }
                return chain;
            }
            if (r.size() > 1) {
                throw new BcflowException(source + ": value '" + cur + "' is read by " + r.size() + " nodes ("
                        + String.join(", ", r.stream().map(Node::label).toList()) + "); bcflow imports a chain of layers");
            }
            Node n = r.get(0);
            for (int i = 0; i < n.inputs().size(); i++) {
                String operand = n.inputs().get(i);
                if (!operand.isEmpty() && !operand.equals(cur) && !constants.containsKey(operand)) {
                    throw new BcflowException(source + ": node " + n.label() + " (" + n.opType() + ") reads '" + operand
                            + "', which is neither the data nor a constant; bcflow imports a chain of layers");
                }
            }
            if (n.inputs().indexOf(cur) != 0 && !n.opType().equals("MatMul")) {
                throw new BcflowException(source + ": node " + n.label() + " (" + n.opType() + ") takes the data as operand "
                        + n.inputs().indexOf(cur) + "; bcflow imports it as the first");
            }
            chain.add(n);
            cur = n.outputs().get(0);
            if (END_OPS.contains(n.opType()) && OnnxGraph.isStandardDomain(n.domain())) {
                return chain;
            }
        }
    }

    private static boolean isWeight(Node n) {
        return OnnxGraph.isStandardDomain(n.domain()) && (n.opType().equals("MatMul") || n.opType().equals("Gemm")
                || n.opType().equals("Conv"));
    }

    private static int firstWeight(List<Node> chain, int from) {
        for (int i = from; i < chain.size(); i++) {
            if (isWeight(chain.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private BcflowException unsupported(Node n, String why) {
        return new BcflowException(source + ": node " + n.label() + " (op " + n.opType()
                + (n.domain().isEmpty() ? "" : ", domain " + n.domain()) + ") " + why);
    }

    private void requireKind(Node n, Set<String> allowed, String where) {
        boolean standard = OnnxGraph.isStandardDomain(n.domain());
        if (!(standard && allowed.contains(n.opType()))) {
            throw unsupported(n, "is not supported " + where + "; supported: " + SUPPORTED);
        }
    }

    /** What an input stage or a layer hands on: the quantizer (input stage only), the codes' levels, the layout. */
    private record Stage(InputQuantizer quantizer, Levels levels, String value, int[] toHwc) {
    }

    private record LayerStep(List<Layer> layers, FeatureMap map, Levels levels, String value, int[] toHwc) {
    }

    /**
     * The nodes before the first weight layer: shape ops and element-wise constants around
     * quantizers (bcflow's own export recovers the 8-bit value with one, then thresholds it with
     * another). Every 8-bit input value goes through them; the last quantizer's codes must be the
     * same for every position and nondecreasing in the value, and become the input quantizer.
     */
    private Stage inputStage(List<Node> pre, String inputName, int[] shape, FeatureMap input) {
        int q = -1;
        for (int i = 0; i < pre.size(); i++) {
            Node n = pre.get(i);
            if (Levels.isQuantizer(n)) {
                q = i;  // the last one gives the codes; any before it are part of what the input goes through
            } else if (n.opType().equals("MaxPool")) {
                throw unsupported(n, "pools the input; bcflow pools only after a weight layer");
            } else {
                requireKind(n, union(SHAPE_OPS, AFFINE_OPS), "before the first weight layer");
            }
        }
        int[] one = shape.clone();
        one[0] = 1;
        int size = input.size();
        long max = (1L << RAW_BITS) - 1;
        String value = pre.isEmpty() ? inputName : pre.get(pre.size() - 1).outputs().get(0);
        int[] toHwc = layout(pre, inputName, input, one);
        if (q < 0) {
            // no quantizer: the first layer takes the values themselves, which must be an affine map of the pixel
            double[] v = new double[(int) max + 1];
            Subgraph all = pre.isEmpty() ? null : new Subgraph(graph, constants, pre, inputName, one.length, value);
            for (int p = 0; p <= max; p++) {
                v[p] = uniform(all == null ? Tensor.scalar(p / (double) max) : all.run(filled(one, p / (double) max)), "input value " + p,
                        pre.isEmpty() ? null : pre.get(pre.size() - 1));
            }
            double alpha = v[1] - v[0];
            for (int p = 0; p <= max; p++) {
                if (!(alpha > 0) || Math.abs(v[p] - (v[0] + alpha * p)) > 1e-9 * Math.max(1, Math.abs(v[p]))) {
                    throw new BcflowException(source + ": the first weight layer's inputs are not an increasing affine map of the"
                            + " 8-bit input (pixel " + p + " gives " + v[p] + "); put a quantizer before it");
                }
            }
            steps.add("input: 8-bit values, no quantizer");
            return new Stage(null, new Levels((int) max, alpha, v[0]), value, toHwc);
        }
        Node quant = pre.get(q);
        Levels levels = Levels.of(quant, constants);
        String qOut = quant.outputs().get(0);
        Subgraph upTo = new Subgraph(graph, constants, pre.subList(0, q + 1), inputName, one.length, qOut);
        long[] codes = new long[(int) max + 1];
        for (int p = 0; p <= max; p++) {
            codes[p] = levels.code(uniform(upTo.run(filled(one, p / (double) max)), "input value " + p, quant), source + ": node "
                    + quant.label());
        }
        long[] t = thresholds(codes, 0, (1 << levels.codeBits()) - 1, max + 1, quant, "the input value");
        InputQuantizer quantizer = new InputQuantizer(RAW_BITS, t);
        boolean identity = levels.codeBits() == RAW_BITS;
        for (int j = 0; j < t.length && identity; j++) {
            identity = t[j] == j + 1;
        }
        Levels after = through(pre.subList(q + 1, pre.size()), levels, quant);
        probes.add(new ImportedNetwork.Probe(qOut, -1, levels, layout(pre.subList(0, q + 1), inputName, input, one)));
        if (identity) {
            steps.add("input: " + names(pre) + " -> 8-bit values as they are (the quantizer keeps every value)");
            return new Stage(null, after, value, toHwc);
        }
        steps.add("input: " + names(pre) + " -> input quantizer, 8-bit values to " + levels.codeBits() + "-bit codes at "
                + java.util.Arrays.toString(t));
        return new Stage(quantizer, after, value, toHwc);
    }

    /**
     * Thresholds from codes that are nondecreasing in their argument: {@code t_j} = the first
     * argument ({@code first + index}) whose code reaches j, or {@code never}.
     */
    private long[] thresholds(long[] codes, long first, int count, long never, Node at, String what) {
        long[] t = new long[count];
        java.util.Arrays.fill(t, never);
        for (int i = 0; i < codes.length; i++) {
            if (i > 0 && codes[i] < codes[i - 1]) {
                throw unsupported(at, "gives codes that fall as " + what + " rises (" + codes[i - 1] + " at " + (first + i - 1)
                        + ", " + codes[i] + " at " + (first + i) + "); bcflow needs a monotone activation");
            }
            for (int j = 1; j <= codes[i] && j <= count; j++) {
                if (t[j - 1] == never) {
                    t[j - 1] = first + i;
                }
            }
        }
        return t;
    }

    /** The levels after the nodes that follow a quantizer (shape ops, a MaxPool, scalar constants). */
    private Levels through(List<Node> tail, Levels levels, Node quant) {
        Levels out = levels;
        for (Node n : tail) {
            if (SHAPE_OPS.contains(n.opType()) && OnnxGraph.isStandardDomain(n.domain()) || n.opType().equals("MaxPool")) {
                continue;
            }
            requireKind(n, AFFINE_OPS, "after a quantizer");
            if (n.opType().equals("BatchNormalization")) {
                throw unsupported(n, "normalizes after the quantizer; bcflow takes only scalar constants there");
            }
            Subgraph one = new Subgraph(graph, constants, List.of(n), n.inputs().get(0), 1, n.outputs().get(0));
            double v0 = uniform(one.run(Tensor.vector(out.beta())), "level 0", n);
            double v1 = uniform(one.run(Tensor.vector(out.beta() + out.alpha())), "level 1", n);
            double a = (v1 - v0) / out.alpha();
            if (!(a > 0)) {
                throw unsupported(n, "reverses or flattens the quantizer's levels; bcflow needs an increasing map after it");
            }
            out = new Levels(out.maxCode(), out.alpha() * a, v0);
        }
        return out;
    }

    private LayerStep weightLayer(Node weight, List<Node> post, boolean last, Levels in, FeatureMap map, int[] toHwc, String value) {
        boolean conv = weight.opType().equals("Conv");
        Matrix m = conv ? convMatrix(weight, in, map) : denseMatrix(weight, in, map, toHwc);
        String name = layerName(weight, conv ? "_conv" : "_matmul", conv ? "conv" + convs++ : "dense" + denses++);
        int q = -1;
        for (int i = 0; i < post.size(); i++) {
            if (Levels.isQuantizer(post.get(i))) {
                q = i;
                break;
            }
        }
        if (last && q >= 0) {
            throw unsupported(post.get(q), "quantizes the last layer's outputs; bcflow's last layer gives the scores");
        }
        if (!last && q < 0) {
            for (Node n : post) {
                if (!(n.opType().equals("MaxPool") || n.opType().equals("Floor"))) {
                    requireKind(n, union(SHAPE_OPS, AFFINE_OPS), "in a hidden layer");
                }
            }
            throw unsupported(post.isEmpty() ? weight : post.get(post.size() - 1),
                    "ends a hidden layer without a quantizer; bcflow's hidden layers give quantized codes");
        }
        FeatureMap outMap = conv ? new FeatureMap(m.rows, map.height() + 2 * m.pad - m.k + 1, map.width() + 2 * m.pad - m.k + 1)
                : FeatureMap.vector(m.rows);
        int rank = conv ? 4 : 2;
        if (last) {
            DenseLayer layer = scores(name, weight, post, m, in, rank);
            steps.add(weight.label() + (post.isEmpty() ? "" : " + " + names(post)) + " -> " + name + " (" + m.cols + " x " + m.rows
                    + ", " + in.codeBits() + "-bit inputs, the scores: mul " + layer.mul(0) + ", shift " + layer.shift() + ")");
            return new LayerStep(List.of(conv ? new ConvLayer(layer, m.k, m.padding()) : layer), outMap, null, null, null);
        }
        List<Node> affine = post.subList(0, q);
        for (Node n : affine) {
            if (n.opType().equals("MaxPool")) {
                throw unsupported(n, "pools before the quantizer; bcflow pools the codes (a max-pool commutes only with an"
                        + " increasing activation)");
            }
            requireKind(n, AFFINE_OPS, "between a weight layer and its quantizer");
        }
        Node quant = post.get(q);
        Levels levels = Levels.of(quant, constants);
        DenseLayer layer = hidden(name, weight, post.subList(0, q + 1), m, in, levels, rank);
        String what = layer.hasThresholds() ? "thresholds" : "multiply-add, shift " + layer.shift();
        steps.add(weight.label() + " + " + names(post.subList(0, q + 1)) + " -> " + name + " (" + m.cols + " x " + m.rows + ", "
                + in.codeBits() + "-bit inputs, " + levels.codeBits() + "-bit outputs by " + what + ")");
        List<Layer> layers = new ArrayList<>();
        layers.add(conv ? new ConvLayer(layer, m.k, m.padding()) : layer);
        int stackIndex = stack.size();
        probes.add(new ImportedNetwork.Probe(quant.outputs().get(0), stackIndex, levels, conv ? nchwToHwc(outMap) : identity(m.rows)));
        // after the quantizer: scalar constants, shape ops, at most one MaxPool (of the codes)
        List<Node> tail = post.subList(q + 1, post.size());
        Levels out = through(tail, levels, quant);
        FeatureMap after = outMap;
        String afterValue = quant.outputs().get(0);
        List<Node> shapeOps = new ArrayList<>();
        for (Node n : tail) {
            if (n.opType().equals("MaxPool")) {
                if (!conv || stack.size() + layers.size() != stackIndex + 1) {
                    throw unsupported(n, "is not the one max-pool right after a conv layer's activation that bcflow supports");
                }
                int p = poolSize(n, after);
                MaxPoolLayer pool = new MaxPoolLayer(layerName(n, "_maxpool", "pool" + pools++), p);
                layers.add(pool);
                after = pool.output(after);
                steps.add(n.label() + " -> " + pool.name() + " (" + p + "x" + p + " max-pool of the codes)");
                probes.add(new ImportedNetwork.Probe(n.outputs().get(0), stackIndex + 1, throughBefore(tail, n, levels, quant),
                        nchwToHwc(after)));
                afterValue = n.outputs().get(0);
                shapeOps.clear();
            } else if (SHAPE_OPS.contains(n.opType())) {
                shapeOps.add(n);
            }
        }
        String endValue = tail.isEmpty() ? afterValue : tail.get(tail.size() - 1).outputs().get(0);
        int[] nextLayout = layout(shapeOps, afterValue, after, conv ? new int[] {1, after.channels(), after.height(), after.width()}
                : new int[] {1, after.size()});
        return new LayerStep(layers, after, out, endValue, nextLayout);
    }

    /**
     * The layer's name: the one bcflow's export gave it (node {@code NAME_matmul} and so on), so a
     * round trip keeps its names and hash; otherwise the usual {@code dense0, conv0, pool0}.
     */
    private String layerName(Node n, String suffix, String usual) {
        String name = n.name();
        if (name.endsWith(suffix)) {
            String layer = name.substring(0, name.length() - suffix.length());
            if (layer.matches("[a-z][a-z0-9_]*") && stack.stream().noneMatch(l -> l.name().equals(layer))) {
                return layer;
            }
        }
        return usual;
    }

    private Levels throughBefore(List<Node> tail, Node stop, Levels levels, Node quant) {
        return through(tail.subList(0, tail.indexOf(stop)), levels, quant);
    }

    private int poolSize(Node n, FeatureMap map) {
        long[] k = n.intsAttr("kernel_shape", new long[0]);
        long[] s = n.intsAttr("strides", k);
        long[] pads = n.intsAttr("pads", new long[] {0, 0, 0, 0});
        if (k.length != 2 || k[0] != k[1] || s.length != 2 || s[0] != k[0] || s[1] != k[1]
                || java.util.Arrays.stream(pads).anyMatch(p -> p != 0) || n.intAttr("ceil_mode", 0) != 0) {
            throw unsupported(n, "is not a square p x p max-pool of stride p without padding, the pool bcflow supports");
        }
        if (map.height() % k[0] != 0 || map.width() % k[0] != 0) {
            throw unsupported(n, "pools a " + map.height() + "x" + map.width() + " map by " + k[0] + ", which does not divide it");
        }
        return (int) k[0];
    }

    /**
     * A weight matrix in bcflow's terms: row n's signs (column order bcflow's), and per row the
     * positive scale the model multiplies it by and the sum of its signs, with any bias.
     */
    private record Matrix(int rows, int cols, boolean[][] plus, double[] scale, long[] signSum, double[] bias, int k, int pad) {
        Padding padding() {
            return pad == 0 ? Padding.VALID : Padding.SAME;
        }
    }

    private Matrix denseMatrix(Node n, Levels in, FeatureMap map, int[] toHwc) {
        boolean gemm = n.opType().equals("Gemm");
        Tensor w = constants.get(n.inputs().get(1));
        if (w == null || w.rank() != 2) {
            throw unsupported(n, "needs a constant 2-D weight matrix");
        }
        boolean transposed = false;
        double alpha = 1;
        double[] bias = null;
        if (gemm) {
            if (n.intAttr("transA", 0) != 0) {
                throw unsupported(n, "transposes its data (transA); bcflow imports transA = 0");
            }
            transposed = n.intAttr("transB", 0) != 0;
            alpha = n.floatAttr("alpha", 1.0);
            if (n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()) {
                Tensor c = constants.get(n.inputs().get(2));
                double beta = n.floatAttr("beta", 1.0);
                int outs = transposed ? w.dim(0) : w.dim(1);
                bias = new double[outs];
                for (int o = 0; o < outs; o++) {
                    bias[o] = beta * (c.size() == 1 ? c.at(0) : c.at(o));
                }
            }
        }
        int cols = transposed ? w.dim(1) : w.dim(0);
        int rows = transposed ? w.dim(0) : w.dim(1);
        if (cols != map.size()) {
            throw unsupported(n, "has " + cols + " weight rows for " + map.size() + " inputs");
        }
        boolean[][] plus = new boolean[rows][cols];
        double[] scale = new double[rows];
        long[] sum = new long[rows];
        for (int o = 0; o < rows; o++) {
            for (int k = 0; k < cols; k++) {
                double v = alpha * (transposed ? w.get(o, k) : w.get(k, o));
                sign(n, v, o, scale, plus, sum, toHwc[k]);
            }
        }
        return new Matrix(rows, cols, plus, scale, sum, bias, 1, 0);
    }

    private Matrix convMatrix(Node n, Levels in, FeatureMap map) {
        Tensor w = constants.get(n.inputs().get(1));
        if (w == null || w.rank() != 4 || w.dim(2) != w.dim(3)) {
            throw unsupported(n, "needs a constant [out, in, k, k] weight tensor");
        }
        int k = w.dim(2);
        long[] pads = n.intsAttr("pads", new long[] {0, 0, 0, 0});
        long[] strides = n.intsAttr("strides", new long[] {1, 1});
        long[] dil = n.intsAttr("dilations", new long[] {1, 1});
        if (n.intAttr("group", 1) != 1 || java.util.Arrays.stream(strides).anyMatch(s -> s != 1)
                || java.util.Arrays.stream(dil).anyMatch(d -> d != 1) || !n.stringAttr("auto_pad", "NOTSET").equals("NOTSET")) {
            throw unsupported(n, "is not a stride-1, undilated, ungrouped convolution with explicit pads, the conv bcflow supports");
        }
        long p = pads.length == 4 ? pads[0] : 0;
        if (pads.length != 4 || java.util.Arrays.stream(pads).anyMatch(x -> x != p) || p != 0 && (k % 2 == 0 || p != (k - 1) / 2)) {
            throw unsupported(n, "pads " + java.util.Arrays.toString(pads) + "; bcflow supports none (valid) or (k-1)/2 on every side (same)");
        }
        if (p > 0 && in.beta() != 0) {
            throw unsupported(n, "pads with zeros, but zero is not a level of its input (levels " + in.beta() + " + " + in.alpha()
                    + " * code); bcflow pads with code 0, so it imports same padding only where code 0 is the value 0");
        }
        if (w.dim(1) != map.channels()) {
            throw unsupported(n, "takes " + w.dim(1) + " channels, its input has " + map.channels());
        }
        int rows = w.dim(0);
        int c = w.dim(1);
        int cols = k * k * c;
        boolean[][] plus = new boolean[rows][cols];
        double[] scale = new double[rows];
        long[] sum = new long[rows];
        for (int o = 0; o < rows; o++) {
            for (int ci = 0; ci < c; ci++) {
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        sign(n, w.get(o, ci, ky, kx), o, scale, plus, sum, (ky * k + kx) * c + ci);
                    }
                }
            }
        }
        double[] bias = null;
        if (n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()) {
            Tensor b = constants.get(n.inputs().get(2));
            bias = new double[rows];
            for (int o = 0; o < rows; o++) {
                bias[o] = b.at(o);
            }
        }
        return new Matrix(rows, cols, plus, scale, sum, bias, k, (int) p);
    }

    /** One weight: ±scale of its row, the row's one positive scale. */
    private void sign(Node n, double v, int row, double[] scale, boolean[][] plus, long[] sum, int col) {
        double a = Math.abs(v);
        if (scale[row] == 0) {
            scale[row] = a;
        }
        if (a == 0 || a != scale[row]) {
            throw unsupported(n, "has weights that are not ±1 after quantization (output " + row + " has " + v + " beside ±"
                    + scale[row] + "); bcflow imports binary weights, one positive scale per output");
        }
        plus[row][col] = v > 0;
        sum[row] += v > 0 ? 1 : -1;
    }

    /** The model's accumulator value for row o at integer accumulator acc of the codes. */
    private static double modelValue(Matrix m, Levels in, int o, long acc) {
        return m.scale[o] * (in.alpha() * acc + in.beta() * m.signSum[o]) + (m.bias == null ? 0 : m.bias[o]);
    }

    /**
     * A hidden layer: bcflow's multiply-add when the nodes are exactly the form bcflow exports
     * (Mul, Add of integers, Quant of scale 2^shift rounding down, on integer codes), otherwise
     * explicit thresholds read off the nodes run on every accumulator value.
     */
    private DenseLayer hidden(String name, Node weight, List<Node> nodes, Matrix m, Levels in, Levels levels, int rank) {
        int inBits = in.codeBits();
        long bound = (long) m.cols * ((1L << inBits) - 1);
        int count = (1 << levels.codeBits()) - 1;
        Node quant = nodes.get(nodes.size() - 1);
        Subgraph run = new Subgraph(graph, constants, nodes, weight.outputs().get(0), rank, quant.outputs().get(0));
        // bcflow's own export form, if the nodes have it: checked against every code below
        DenseLayer exported = nodes.size() >= 3 ? exportedForm(name, nodes, m, in, levels, inBits) : null;
        long maxCode = (1L << levels.codeBits()) - 1;
        // per output: the first and the last accumulator at which the code reaches j, and whether it ever fell or rose
        long[][] firstAt = new long[m.rows][count];
        long[][] lastAt = new long[m.rows][count];
        for (long[] row : firstAt) {
            java.util.Arrays.fill(row, Long.MAX_VALUE);
        }
        for (long[] row : lastAt) {
            java.util.Arrays.fill(row, Long.MIN_VALUE);
        }
        boolean[] rose = new boolean[m.rows];
        boolean[] fell = new boolean[m.rows];
        long[] previous = new long[m.rows];
        for (long start = -bound; start <= bound; start += CHUNK) {
            int len = (int) Math.min(CHUNK, bound - start + 1);
            int[] shape = rank == 4 ? new int[] {len, m.rows, 1, 1} : new int[] {len, m.rows};
            double[] h = new double[len * m.rows];
            for (int r = 0; r < len; r++) {
                for (int o = 0; o < m.rows; o++) {
                    h[r * m.rows + o] = modelValue(m, in, o, start + r);
                }
            }
            Tensor out = run.run(Tensor.of(shape, h));
            for (int r = 0; r < len; r++) {
                long acc = start + r;
                for (int o = 0; o < m.rows; o++) {
                    long code = levels.code(out.at(r * m.rows + o), source + ": node " + quant.label());
                    if (exported != null && code != Math.min(maxCode, Math.max(0,
                            (acc * exported.mul(o) + exported.add(o)) >> exported.shift()))) {
                        exported = null;
                    }
                    if (acc > -bound) {
                        rose[o] |= code > previous[o];
                        fell[o] |= code < previous[o];
                    }
                    previous[o] = code;
                    for (int j = 1; j <= code && j <= count; j++) {
                        firstAt[o][j - 1] = Math.min(firstAt[o][j - 1], acc);
                        lastAt[o][j - 1] = acc;
                    }
                }
            }
        }
        if (exported != null) {
            return exported;
        }
        BitMatrix.Builder w = new BitMatrix.Builder(m.rows, m.cols);
        long[][] t = new long[m.rows][count];
        for (int o = 0; o < m.rows; o++) {
            if (rose[o] && fell[o]) {
                throw unsupported(quant, "gives output " + o + " codes that rise and fall with its accumulator; bcflow needs a"
                        + " monotone activation");
            }
            for (int j = 0; j < count; j++) {
                // rising: the first acc reaching j; falling: the row is negated, and -acc reaches j from -(last acc reaching it) on
                boolean never = firstAt[o][j] == Long.MAX_VALUE;
                t[o][j] = never ? bound + 1 : fell[o] ? -lastAt[o][j] : firstAt[o][j];
            }
            for (int j = 0; j < m.cols; j++) {
                w.set(o, j, m.plus[o][j] != fell[o]);
            }
        }
        return DenseLayer.withThresholds(name, w.build(), inBits, t);
    }

    /**
     * bcflow's own export of a multiply-add layer: Mul(integers), Add(integers), Quant(scale 2^s,
     * zero point 0, unsigned, FLOOR), read back as that multiply-add (the caller checks it against
     * every code).
     */
    private DenseLayer exportedForm(String name, List<Node> nodes, Matrix m, Levels in, Levels levels, int inBits) {
        Node quant = nodes.get(nodes.size() - 1);
        long[][] mulAdd = mulAdd(nodes.subList(0, nodes.size() - 1), m.rows);
        if (mulAdd == null || !quant.opType().equals("Quant") || !unitInputs(m, in)) {
            return null;
        }
        if (!quant.stringAttr("rounding_mode", "ROUND").equals("FLOOR") || quant.intAttr("signed", 1) != 0
                || quant.intAttr("narrow", 0) != 0 || levels.beta() != 0) {
            return null;
        }
        double scale = levels.alpha();
        int shift = Math.getExponent(scale);
        if (scale != Math.scalb(1.0, shift) || shift < 0 || shift > 48) {
            return null;
        }
        try {
            return new DenseLayer(name, signs(m), inBits, mulAdd[0], mulAdd[1], shift);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the layer's accumulators are the integer ones themselves: codes as values, unit weights, no bias. */
    private static boolean unitInputs(Matrix m, Levels in) {
        return in.alpha() == 1 && in.beta() == 0 && m.bias == null && java.util.Arrays.stream(m.scale).allMatch(s -> s == 1);
    }

    /**
     * bcflow's multiply-add as it exports it: one Mul by integers, then one or more Adds of
     * integers (an offset float32 cannot hold goes in parts); the multipliers and the summed
     * offsets, or null when the nodes are anything else.
     */
    private long[][] mulAdd(List<Node> nodes, int rows) {
        if (nodes.size() < 2 || !nodes.get(0).opType().equals("Mul")) {
            return null;
        }
        long[] mul = integers(nodes.get(0), rows);
        long[] add = new long[rows];
        if (mul == null) {
            return null;
        }
        for (Node n : nodes.subList(1, nodes.size())) {
            long[] part = n.opType().equals("Add") ? integers(n, rows) : null;
            if (part == null) {
                return null;
            }
            for (int o = 0; o < rows; o++) {
                add[o] = Math.addExact(add[o], part[o]);
            }
        }
        return new long[][] {mul, add};
    }

    private static BitMatrix signs(Matrix m) {
        BitMatrix.Builder w = new BitMatrix.Builder(m.rows, m.cols);
        for (int o = 0; o < m.rows; o++) {
            for (int j = 0; j < m.cols; j++) {
                w.set(o, j, m.plus[o][j]);
            }
        }
        return w.build();
    }

    /** A constant operand of integers, one per output (or one for all); null when it is not that. */
    private long[] integers(Node n, int rows) {
        String operand = n.inputs().size() > 1 ? n.inputs().get(1) : "";
        Tensor t = constants.get(operand);
        if (t == null || t.size() != rows && t.size() != 1) {
            return null;
        }
        long[] out = new long[rows];
        for (int o = 0; o < rows; o++) {
            double v = t.at(t.size() == 1 ? 0 : o);
            if (v != Math.rint(v) || Math.abs(v) > (1L << 53)) {
                return null;
            }
            out[o] = (long) v;
        }
        return out;
    }

    /**
     * The last layer: its scores must be one increasing affine map, common to all classes, of
     * {@code mul * acc + add[n]} with integers mul and add (then argmax, ties and all, is the
     * same). bcflow's own export (Mul, Add of integers, optionally Mul(2^-s) and Floor) is read
     * back as it was.
     */
    private DenseLayer scores(String name, Node weight, List<Node> post, Matrix m, Levels in, int rank) {
        List<Node> affine = new ArrayList<>();
        boolean floor = false;
        for (Node n : post) {
            if (END_OPS.contains(n.opType()) && OnnxGraph.isStandardDomain(n.domain()) || SHAPE_OPS.contains(n.opType())) {
                continue;
            }
            if (n.opType().equals("Floor") && OnnxGraph.isStandardDomain(n.domain())) {
                floor = true;
                continue;
            }
            requireKind(n, AFFINE_OPS, "after the last weight layer");
            if (floor) {
                throw unsupported(n, "follows a Floor; bcflow's scores end with their shift");
            }
            affine.add(n);
        }
        BitMatrix bits = signs(m);
        int inBits = in.codeBits();
        if (unitInputs(m, in)) {
            // bcflow's own export: Mul, Add(s), and with a shift Mul by 2^-shift and Floor
            int shift = 0;
            List<Node> sum = affine;
            if (floor && affine.size() >= 3) {
                Node unscale = affine.get(affine.size() - 1);
                Tensor s = unscale.inputs().size() > 1 ? constants.get(unscale.inputs().get(1)) : null;
                shift = s == null || s.size() != 1 || !unscale.opType().equals("Mul") ? -1 : -Math.getExponent(s.at(0));
                sum = shift > 0 && shift <= 48 && s.at(0) == Math.scalb(1.0, -shift) ? affine.subList(0, affine.size() - 1) : null;
            }
            long[][] mulAdd = sum == null ? null : mulAdd(sum, m.rows);
            if (mulAdd != null) {
                try {
                    return new DenseLayer(name, bits, inBits, mulAdd[0], mulAdd[1], shift);
                } catch (IllegalArgumentException e) {
                    throw unsupported(weight, "gives scores bcflow cannot hold: " + e.getMessage());
                }
            }
        }
        if (floor) {
            throw unsupported(weight, "ends in a Floor that is not bcflow's own export form (Mul, Add, Mul by 2^-s, Floor)");
        }
        // per class: score = a * h + b after the nodes; the same a > 0 and b for every class keep the argmax
        double[] a = new double[m.rows];
        double[] b = new double[m.rows];
        if (affine.isEmpty()) {
            java.util.Arrays.fill(a, 1);
        } else {
            String last = affine.get(affine.size() - 1).outputs().get(0);
            Subgraph run = new Subgraph(graph, constants, affine, weight.outputs().get(0), rank, last);
            int[] shape = rank == 4 ? new int[] {3, m.rows, 1, 1} : new int[] {3, m.rows};
            double[] h = new double[3 * m.rows];
            for (int o = 0; o < m.rows; o++) {
                h[m.rows + o] = 1;
                h[2 * m.rows + o] = 1000;
            }
            Tensor out = run.run(Tensor.of(shape, h));
            for (int o = 0; o < m.rows; o++) {
                b[o] = out.at(o);
                a[o] = out.at(m.rows + o) - b[o];
                double far = out.at(2 * m.rows + o);
                if (Math.abs(far - (b[o] + 1000 * a[o])) > 1e-6 * Math.max(1, Math.abs(far))) {
                    throw unsupported(affine.get(0), "is not an affine map of the last layer's accumulators");
                }
            }
        }
        double slope = a[0] * m.scale[0];
        double offset = (m.bias == null ? 0 : a[0] * m.bias[0]) + b[0];
        for (int o = 0; o < m.rows; o++) {
            double so = a[o] * m.scale[o];
            double bo = (m.bias == null ? 0 : a[o] * m.bias[o]) + b[o];
            if (!(so > 0) || Math.abs(so - slope) > 1e-9 * slope || Math.abs(bo - offset) > 1e-9 * Math.max(1, Math.abs(offset))) {
                throw unsupported(affine.isEmpty() ? weight : affine.get(0), "scales or offsets the classes differently (class " + o
                        + ": " + so + " * h + " + bo + ", class 0: " + slope + " * h + " + offset
                        + "); bcflow's integer scores keep the argmax only under one common increasing map");
            }
        }
        // score = alpha*acc + beta*S_n up to the common map: integers mul*acc + r*S_n with r = beta*mul/alpha
        for (long mul = 1; mul <= (1 << 16); mul++) {
            double r = in.beta() * mul / in.alpha();
            if (Math.abs(r - Math.rint(r)) < 1e-9) {
                long[] muls = new long[m.rows];
                long[] adds = new long[m.rows];
                for (int o = 0; o < m.rows; o++) {
                    muls[o] = mul;
                    adds[o] = (long) Math.rint(r) * m.signSum[o];
                }
                try {
                    return new DenseLayer(name, bits, inBits, muls, adds, 0);
                } catch (IllegalArgumentException e) {
                    throw unsupported(weight, "gives scores bcflow cannot hold: " + e.getMessage());
                }
            }
        }
        throw unsupported(weight, "has inputs whose levels (" + in.beta() + " + " + in.alpha() + " * code) give no integer scores");
    }

    /** The value at every position of a fixed-shape tensor (one element for a scalar). */
    private static Tensor filled(int[] shape, double v) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        double[] data = new double[n];
        java.util.Arrays.fill(data, v);
        return Tensor.of(shape, data);
    }

    /** The one value every element of t holds; refuses a tensor whose elements differ. */
    private double uniform(Tensor t, String what, Node at) {
        double v = t.at(0);
        for (int i = 1; i < t.size(); i++) {
            if (t.at(i) != v) {
                throw new BcflowException(source + ": " + what + " gives different values at different positions"
                        + (at == null ? "" : " after node " + at.label()) + "; bcflow quantizes every input value alike");
            }
        }
        return v;
    }

    /**
     * Where each element of the value after the shape ops {@code ops} sits in bcflow's HWC order:
     * a tensor of HWC indices laid out as the model holds the map goes through the same ops.
     */
    private int[] layout(List<Node> ops, String input, FeatureMap map, int[] modelShape) {
        double[] idx = new double[map.size()];
        if (modelShape.length == 4) {
            for (int c = 0; c < map.channels(); c++) {
                for (int y = 0; y < map.height(); y++) {
                    for (int x = 0; x < map.width(); x++) {
                        idx[(c * map.height() + y) * map.width() + x] = map.index(y, x, c);
                    }
                }
            }
        } else {
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
        }
        List<Node> shapeOps = ops.stream().filter(n -> SHAPE_OPS.contains(n.opType()) && OnnxGraph.isStandardDomain(n.domain())).toList();
        Tensor t = Tensor.of(modelShape, idx);
        if (!shapeOps.isEmpty()) {
            // the shape ops of a run read each other's outputs; rename their chain to start at the index tensor
            List<Node> renamed = new ArrayList<>();
            String prev = input;
            for (Node n : shapeOps) {
                List<String> ins = new ArrayList<>(n.inputs());
                ins.set(0, prev);
                renamed.add(new Node(n.name(), n.opType(), n.domain(), ins, n.outputs(), n.attributes()));
                prev = n.outputs().get(0);
            }
            t = new Subgraph(graph, constants, renamed, input, modelShape.length, prev).run(t);
        }
        int[] out = new int[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) t.at(i);
        }
        return out;
    }

    private static int[] nchwToHwc(FeatureMap map) {
        int[] out = new int[map.size()];
        for (int c = 0; c < map.channels(); c++) {
            for (int y = 0; y < map.height(); y++) {
                for (int x = 0; x < map.width(); x++) {
                    out[(c * map.height() + y) * map.width() + x] = map.index(y, x, c);
                }
            }
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static String names(List<Node> nodes) {
        return String.join(" + ", nodes.stream().map(Node::label).toList());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }
}
