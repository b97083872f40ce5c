package org.bcflow.qonnx;

import java.util.Arrays;

/**
 * A graph input or output: its name, element type and shape. A dimension ONNX leaves symbolic
 * ("batch") or unset is -1; a shape ONNX does not give at all is null.
 */
public record ValueInfo(String name, ElementType type, int[] shape) {

    public ValueInfo {
        shape = shape == null ? null : shape.clone();
    }

    @Override
    public int[] shape() {
        return shape == null ? null : shape.clone();
    }

    /** Whether a tensor of shape {@code actual} fits this declaration (-1 matches any length). */
    public boolean accepts(int[] actual) {
        if (shape == null) {
            return true;
        }
        if (shape.length != actual.length) {
            return false;
        }
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] >= 0 && shape[d] != actual[d]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueInfo v && v.name.equals(name) && v.type == type && Arrays.equals(v.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + ": " + type + (shape == null ? "" : Arrays.toString(shape));
    }
}
