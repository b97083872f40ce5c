package org.bcflow.qonnx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bcflow.core.BcflowException;

/**
 * One operation of a graph. An empty string among the inputs is ONNX's "optional input left
 * out"; it is kept so that the positions of the later inputs stay right.
 *
 * @param name       the node's name, possibly empty (ONNX does not require one)
 * @param opType     the operation, such as "MatMul" or "MultiThreshold"
 * @param domain     "" (or "ai.onnx") for standard ops; a custom-op domain otherwise
 * @param inputs     the names of the values it reads
 * @param outputs    the names of the values it produces
 * @param attributes its attributes by name, in file order
 */
public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
        Map<String, Attribute> attributes) {

    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** An unnamed standard-domain node without attributes; see the {@code with} methods. */
    public static Node of(String opType, List<String> inputs, List<String> outputs) {
        return new Node("", opType, "", inputs, outputs, Map.of());
    }

    public Node withName(String newName) {
        return new Node(newName, opType, domain, inputs, outputs, attributes);
    }

    public Node withDomain(String newDomain) {
        return new Node(name, opType, newDomain, inputs, outputs, attributes);
    }

    public Node with(String attribute, Attribute value) {
        Map<String, Attribute> a = new LinkedHashMap<>(attributes);
        a.put(attribute, value);
        return new Node(name, opType, domain, inputs, outputs, a);
    }

    /** How messages name the node: its name, or the value it produces when it has none. */
    public String label() {
        if (!name.isEmpty()) {
            return name;
        }
        return outputs.isEmpty() ? "(unnamed " + opType + ")" : "(unnamed, producing " + outputs.get(0) + ")";
    }

    public boolean has(String attribute) {
        return attributes.containsKey(attribute);
    }

    public long intAttr(String attribute, long fallback) {
        Attribute a = attributes.get(attribute);
        return a == null ? fallback : expect(attribute, a, Attribute.Kind.INT).asInt();
    }

    public double floatAttr(String attribute, double fallback) {
        Attribute a = attributes.get(attribute);
        return a == null ? fallback : expect(attribute, a, Attribute.Kind.FLOAT).asFloat();
    }

    public String stringAttr(String attribute, String fallback) {
        Attribute a = attributes.get(attribute);
        return a == null ? fallback : expect(attribute, a, Attribute.Kind.STRING).asString();
    }

    /** The INTS attribute, or {@code fallback} (which may be null) when absent. */
    public long[] intsAttr(String attribute, long[] fallback) {
        Attribute a = attributes.get(attribute);
        return a == null ? fallback : expect(attribute, a, Attribute.Kind.INTS).asInts();
    }

    public double[] floatsAttr(String attribute, double[] fallback) {
        Attribute a = attributes.get(attribute);
        return a == null ? fallback : expect(attribute, a, Attribute.Kind.FLOATS).asFloats();
    }

    public Tensor tensorAttr(String attribute) {
        Attribute a = attributes.get(attribute);
        return a == null ? null : expect(attribute, a, Attribute.Kind.TENSOR).asTensor();
    }

    private Attribute expect(String attribute, Attribute a, Attribute.Kind kind) {
        if (a.kind() != kind) {
            throw new BcflowException("node " + label() + ": attribute " + attribute + " is " + a.kind() + ", expected "
                    + kind);
        }
        return a;
    }
}
