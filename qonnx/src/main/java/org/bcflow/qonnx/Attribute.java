package org.bcflow.qonnx;

import java.util.Arrays;
import java.util.Objects;

/**
 * A node attribute: one of the six kinds of ONNX attribute that QONNX graphs use. ONNX stores
 * floats as float32; they are held here as the double of that float32, so writing one back is exact.
 */
public final class Attribute {
    /** The kinds, named as ONNX's AttributeType. */
    public enum Kind { FLOAT, INT, STRING, FLOATS, INTS, TENSOR }

    private final Kind kind;
    private final Object value;
    private final ElementType tensorType;

    private Attribute(Kind kind, Object value) {
        this(kind, value, null);
    }

    private Attribute(Kind kind, Object value, ElementType tensorType) {
        this.kind = kind;
        this.value = value;
        this.tensorType = tensorType;
    }

    public static Attribute ofFloat(double f) {
        return new Attribute(Kind.FLOAT, (double) (float) f);
    }

    public static Attribute ofInt(long i) {
        return new Attribute(Kind.INT, i);
    }

    public static Attribute ofString(String s) {
        return new Attribute(Kind.STRING, Objects.requireNonNull(s));
    }

    public static Attribute ofFloats(double... fs) {
        double[] copy = new double[fs.length];
        for (int k = 0; k < fs.length; k++) {
            copy[k] = (float) fs[k];
        }
        return new Attribute(Kind.FLOATS, copy);
    }

    public static Attribute ofInts(long... is) {
        return new Attribute(Kind.INTS, is.clone());
    }

    /** A FLOAT tensor. */
    public static Attribute ofTensor(Tensor t) {
        return ofTensor(t, ElementType.FLOAT);
    }

    /** A tensor stored as {@code type} in the file (a FLOAT one rounded to float32 now), such as the INT64 value of a Constant shape. */
    public static Attribute ofTensor(Tensor t, ElementType type) {
        Tensor stored = type == ElementType.FLOAT ? t.toFloat32() : t;
        return new Attribute(Kind.TENSOR, stored, Objects.requireNonNull(type));
    }

    /** The element type of a TENSOR attribute in the file; null for other kinds. */
    public ElementType tensorType() {
        return tensorType;
    }

    public Kind kind() {
        return kind;
    }

    /** The value of a FLOAT attribute; {@link IllegalStateException} for another kind (also for the getters below). */
    public double asFloat() {
        return (Double) expect(Kind.FLOAT);
    }

    public long asInt() {
        return (Long) expect(Kind.INT);
    }

    public String asString() {
        return (String) expect(Kind.STRING);
    }

    public double[] asFloats() {
        return ((double[]) expect(Kind.FLOATS)).clone();
    }

    public long[] asInts() {
        return ((long[]) expect(Kind.INTS)).clone();
    }

    public Tensor asTensor() {
        return (Tensor) expect(Kind.TENSOR);
    }

    private Object expect(Kind wanted) {
        if (kind != wanted) {
            throw new IllegalStateException("attribute is " + kind + ", not " + wanted);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Attribute a) || a.kind != kind) {
            return false;
        }
        return switch (kind) {
            case FLOATS -> Arrays.equals((double[]) value, (double[]) a.value);
            case INTS -> Arrays.equals((long[]) value, (long[]) a.value);
            default -> value.equals(a.value);
        };
    }

    @Override
    public int hashCode() {
        return switch (kind) {
            case FLOATS -> Arrays.hashCode((double[]) value);
            case INTS -> Arrays.hashCode((long[]) value);
            default -> value.hashCode();
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case FLOATS -> Arrays.toString((double[]) value);
            case INTS -> Arrays.toString((long[]) value);
            case STRING -> "\"" + value + "\"";
            default -> String.valueOf(value);
        };
    }
}
