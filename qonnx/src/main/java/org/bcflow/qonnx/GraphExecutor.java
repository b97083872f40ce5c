package org.bcflow.qonnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Collectors;
import org.bcflow.core.BcflowException;

/**
 * Runs an {@link OnnxGraph} in double precision, as a reference for importing QONNX networks:
 * every value is kept and returned by name, so a caller can compare hidden activations too.
 *
 * <p>Nodes run in topological order, whatever order the file lists them in. The part of the
 * graph that depends on initializers only (weights through BipolarQuant and Transpose, the shape
 * arithmetic feeding a Reshape) is computed once, when the executor is made.
 */
public final class GraphExecutor {
    private final OnnxGraph graph;
    private final List<Node> order;
    private final Map<String, Tensor> constants;
    private final List<Node> perInput;

    /** Checks that every node's inputs exist, sorts the nodes and folds the constant part. */
    public GraphExecutor(OnnxGraph graph) {
        this.graph = graph;
        this.order = topologicalOrder(graph);
        Map<String, Tensor> values = new LinkedHashMap<>(graph.initializers());
        List<Node> rest = new ArrayList<>();
        for (Node n : order) {
            if (readsOnly(n, values)) {
                execute(n, values);
            } else if (isShapeOfFixedInput(n, graph)) {
                // run() refuses any other shape, so this Shape's value is known now
                ValueInfo in = graph.inputs().stream().filter(v -> v.name().equals(n.inputs().get(0))).findFirst().get();
                Map<String, Tensor> scratch = new HashMap<>(Map.of(in.name(), Tensor.zeros(in.shape())));
                execute(n, scratch);
                values.put(n.outputs().get(0), scratch.get(n.outputs().get(0)));
            } else {
                rest.add(n);
            }
        }
        this.constants = Collections.unmodifiableMap(values);
        this.perInput = List.copyOf(rest);
    }

    /**
     * The value of every node output computable from initializers alone, by name (initializers
     * themselves are not included). The Shape of a graph input whose declared shape has no
     * unknown dimension counts as such a value too, since {@link #run} refuses other shapes: so
     * the Shape, Gather, Unsqueeze, Concat chain that exporters put before a Reshape folds to the
     * Reshape's target shape.
     */
    public static Map<String, Tensor> foldConstants(OnnxGraph graph) {
        Map<String, Tensor> folded = new LinkedHashMap<>(new GraphExecutor(graph).constants);
        graph.initializers().keySet().forEach(folded::remove);
        return folded;
    }

    /** The nodes in the order they run. */
    public List<Node> order() {
        return order;
    }

    /**
     * Runs the graph on {@code inputs} (one tensor per real graph input, by name) and returns
     * every value by name: initializers, inputs, and each node's outputs.
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        for (String name : inputs.keySet()) {
            if (graph.inputs().stream().noneMatch(v -> v.name().equals(name))) {
                throw new BcflowException("'" + name + "' is not an input of the graph (inputs: " + inputNames() + ")");
            }
        }
        Map<String, Tensor> values = new LinkedHashMap<>(constants);
        for (ValueInfo in : graph.inputs()) {
            Tensor t = inputs.get(in.name());
            if (t == null) {
                throw new BcflowException("no value given for graph input '" + in.name() + "' (inputs: " + inputNames() + ")");
            }
            if (!in.accepts(t.shape())) {
                throw new BcflowException("graph input '" + in.name() + "': shape " + Arrays.toString(t.shape())
                        + " given, the model wants " + Arrays.toString(in.shape()));
            }
            values.put(in.name(), t);
        }
        for (Node n : perInput) {
            execute(n, values);
        }
        return values;
    }

    /** Runs the graph on its single input and returns its first output. */
    public Tensor runSingle(Tensor input) {
        if (graph.inputs().size() != 1) {
            throw new BcflowException("the graph has " + graph.inputs().size() + " inputs (" + inputNames() + "), not one");
        }
        return run(Map.of(graph.inputs().get(0).name(), input)).get(graph.outputs().get(0).name());
    }

    private String inputNames() {
        return graph.inputs().stream().map(ValueInfo::name).collect(Collectors.joining(", "));
    }

    private static boolean isShapeOfFixedInput(Node n, OnnxGraph graph) {
        if (!n.opType().equals("Shape") || !OnnxGraph.isStandardDomain(n.domain()) || n.inputs().size() != 1
                || n.outputs().size() != 1) {
            return false;
        }
        return graph.inputs().stream().anyMatch(v -> v.name().equals(n.inputs().get(0)) && v.shape() != null
                && Arrays.stream(v.shape()).allMatch(d -> d >= 0));
    }

    private static boolean readsOnly(Node n, Map<String, Tensor> known) {
        return n.inputs().stream().allMatch(i -> i.isEmpty() || known.containsKey(i));
    }

    private static void execute(Node n, Map<String, Tensor> values) {
        Op op = Ops.find(n);
        List<Tensor> in = new ArrayList<>();
        for (String name : n.inputs()) {
            in.add(name.isEmpty() ? null : values.get(name));
        }
        List<Tensor> out = op.apply(new OpCall(n, in));
        for (int i = 0; i < n.outputs().size(); i++) {
            String name = n.outputs().get(i);
            if (name.isEmpty()) {
                continue;
            }
            if (i >= out.size()) {
                throw new BcflowException("node " + n.label() + " (" + n.opType() + "): output " + (i + 1)
                        + " is not supported (it gives " + out.size() + ")");
            }
            values.put(name, out.get(i));
        }
    }

    /**
     * Kahn's algorithm, taking the earliest-listed ready node each time, so that a file already
     * in order keeps its order. Refuses inputs nothing provides, values produced twice, and cycles.
     */
    static List<Node> topologicalOrder(OnnxGraph graph) {
        List<Node> nodes = graph.nodes();
        Map<String, Integer> producer = new HashMap<>();
        Set<String> given = new java.util.HashSet<>(graph.initializers().keySet());
        graph.inputs().forEach(v -> given.add(v.name()));
        for (int i = 0; i < nodes.size(); i++) {
            for (String out : nodes.get(i).outputs()) {
                if (out.isEmpty()) {
                    continue;
                }
                if (given.contains(out) || producer.putIfAbsent(out, i) != null) {
                    throw new BcflowException("node " + nodes.get(i).label() + ": value '" + out + "' is produced twice");
                }
            }
        }
        for (ValueInfo out : graph.outputs()) {
            if (!given.contains(out.name()) && !producer.containsKey(out.name())) {
                throw new BcflowException("graph output '" + out.name() + "' is produced by no node");
            }
        }
        int[] waiting = new int[nodes.size()];
        List<List<Integer>> readers = new ArrayList<>();
        nodes.forEach(n -> readers.add(new ArrayList<>()));
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).inputs()) {
                if (in.isEmpty() || given.contains(in)) {
                    continue;
                }
                Integer p = producer.get(in);
                if (p == null) {
                    throw new BcflowException("node " + nodes.get(i).label() + " reads '" + in
                            + "', which no node, initializer or graph input provides");
                }
                waiting[i]++;
                readers.get(p).add(i);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(nodes.get(i));
            for (int r : readers.get(i)) {
                if (--waiting[r] == 0) {
                    ready.add(r);
                }
            }
        }
        if (order.size() < nodes.size()) {
            String stuck = java.util.stream.IntStream.range(0, nodes.size()).filter(i -> waiting[i] > 0)
                    .mapToObj(i -> nodes.get(i).label()).limit(5).collect(Collectors.joining(", "));
            throw new BcflowException("the graph has a cycle (nodes " + stuck + (nodes.size() - order.size() > 5 ? ", ..." : "")
                    + ")");
        }
        return List.copyOf(order);
    }
}
