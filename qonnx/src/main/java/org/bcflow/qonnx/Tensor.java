package org.bcflow.qonnx;

import java.util.Arrays;

/**
 * An immutable n-dimensional array of doubles in row-major order. Every ONNX value the executor
 * handles is one of these, integers (shapes, indices) included: double holds every integer up to
 * 2^53 exactly, so one value type serves float and int64 tensors alike.
 */
public final class Tensor {
    private final int[] shape;
    private final double[] data;

    private Tensor(int[] shape, double[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** A tensor of the given shape holding {@code data} (copied) in row-major order. */
    public static Tensor of(int[] shape, double... data) {
        int[] s = shape.clone();
        long size = sizeOf(s);
        if (size != data.length) {
            throw new IllegalArgumentException(data.length + " values for shape " + Arrays.toString(s));
        }
        return new Tensor(s, data.clone());
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(double value) {
        return new Tensor(new int[0], new double[] {value});
    }

    /** A rank-1 tensor. */
    public static Tensor vector(double... values) {
        return new Tensor(new int[] {values.length}, values.clone());
    }

    /** A rank-1 tensor of integers, such as a shape or a list of indices. */
    public static Tensor longs(long... values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return new Tensor(new int[] {values.length}, d);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(s, new double[checkedSize(s)]);
    }

    /** Takes ownership of arrays the caller never touches again: the ops build results this way without copies. */
    static Tensor wrap(int[] shape, double[] data) {
        if (sizeOf(shape) != data.length) {
            throw new IllegalArgumentException(data.length + " values for shape " + Arrays.toString(shape));
        }
        return new Tensor(shape, data);
    }

    public int rank() {
        return shape.length;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The length of {@code axis}; a negative axis counts from the end. */
    public int dim(int axis) {
        return shape[axis < 0 ? axis + shape.length : axis];
    }

    /** The number of values. */
    public int size() {
        return data.length;
    }

    /** A copy of the values, row-major. */
    public double[] data() {
        return data.clone();
    }

    /** The values without a copy, for the ops in this package, which never write to them. */
    double[] values() {
        return data;
    }

    /** The value at flat (row-major) position {@code i}. */
    public double at(int i) {
        return data[i];
    }

    /** The value at the given index, one coordinate per axis (none for a scalar). */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(index.length + " coordinates for a rank-" + shape.length + " tensor");
        }
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside shape " + Arrays.toString(shape));
            }
            flat = flat * shape[d] + index[d];
        }
        return data[flat];
    }

    /** The values as longs (for shapes and indices); refuses a value that is not an integer. */
    public long[] toLongs() {
        long[] out = new long[data.length];
        for (int i = 0; i < data.length; i++) {
            if (data[i] != Math.rint(data[i]) || Double.isInfinite(data[i])) {
                throw new IllegalArgumentException("value " + data[i] + " is not an integer");
            }
            out[i] = (long) data[i];
        }
        return out;
    }

    /** The values rounded to float32, as a FLOAT tensor in an ONNX file holds them. */
    public Tensor toFloat32() {
        double[] out = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (float) data[i];
        }
        return new Tensor(shape, out);
    }

    /** The same values in another shape of the same size. */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        if (sizeOf(s) != data.length) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(s));
        }
        return new Tensor(s, data);
    }

    /** Row-major strides of a shape, in elements. */
    static int[] strides(int[] shape) {
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= shape[d];
        }
        return strides;
    }

    static long sizeOf(int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds more than 2^31 values");
            }
        }
        return size;
    }

    static int checkedSize(int[] shape) {
        return (int) sizeOf(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String values = data.length <= 16 ? Arrays.toString(data)
                : Arrays.toString(Arrays.copyOf(data, 16)).replace("]", ", ...]");
        return "Tensor" + Arrays.toString(shape) + " " + values;
    }
}
