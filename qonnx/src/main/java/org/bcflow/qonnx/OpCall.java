package org.bcflow.qonnx;

import java.util.List;
import org.bcflow.core.BcflowException;

/**
 * One application of an op: the node and the values of its inputs. Ops whose form changed
 * between opsets (Clip, Squeeze, Unsqueeze) take whichever form the node carries, so no opset
 * version is needed here. It gives the ops their inputs by position and words their refusals so that each names the node.
 */
final class OpCall {
    private final Node node;
    private final List<Tensor> inputs;

    /** {@code inputs} has null where the node leaves an optional input out. */
    OpCall(Node node, List<Tensor> inputs) {
        this.node = node;
        this.inputs = inputs;
    }

    Node node() {
        return node;
    }

    /** The number of input positions the node lists (left-out optional ones included). */
    int inputCount() {
        return inputs.size();
    }

    /** Input {@code i}, which the op needs. */
    Tensor input(int i) {
        Tensor t = optional(i);
        if (t == null) {
            throw fail("input " + (i + 1) + " is missing");
        }
        return t;
    }

    /** Input {@code i}, or null when the node leaves it out. */
    Tensor optional(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    /** Whether the node asks for output {@code i} (a left-out optional output is an empty name). */
    boolean wantsOutput(int i) {
        return i < node.outputs().size() && !node.outputs().get(i).isEmpty();
    }

    /** An axis attribute or value, negative ones counted from the end, checked against {@code rank}. */
    int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw fail("axis " + axis + " is outside a rank-" + rank + " tensor");
        }
        return (int) a;
    }

    /** Integer values of an input such as a shape, axes or indices. */
    long[] longs(int i) {
        try {
            return input(i).toLongs();
        } catch (IllegalArgumentException e) {
            throw fail("input " + (i + 1) + ": " + e.getMessage());
        }
    }

    /** A one-line refusal naming the node and its op. */
    BcflowException fail(String message) {
        return new BcflowException("node " + node.label() + " (" + node.opType() + "): " + message);
    }
}
