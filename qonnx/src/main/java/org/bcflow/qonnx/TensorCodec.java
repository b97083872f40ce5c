package org.bcflow.qonnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.bcflow.core.BcflowException;
import org.bcflow.qonnx.proto.Onnx.TensorProto;

/**
 * Converts between ONNX's TensorProto and {@link Tensor}. ONNX stores values either packed in
 * raw_data (little-endian, the type's size each) or in a typed repeated field; both are read,
 * and raw_data is written, as ONNX's own tools do.
 */
final class TensorCodec {
    private TensorCodec() {
    }

    /** A decoded tensor with the type it had in the file. */
    record Typed(Tensor tensor, ElementType type) {
    }

    /** Decodes {@code proto}; {@code what} names it in refusals, such as "initializer W". */
    static Typed decode(TensorProto proto, String what) {
        if (!proto.hasDataType()) {
            throw new BcflowException(what + ": no data type");
        }
        ElementType type = ElementType.of(proto.getDataType(), what);
        int[] shape = new int[proto.getDimsCount()];
        long size = 1;
        for (int d = 0; d < shape.length; d++) {
            long dim = proto.getDims(d);
            if (dim < 0 || dim > Integer.MAX_VALUE) {
                throw new BcflowException(what + ": dimension " + dim + " in shape " + proto.getDimsList());
            }
            shape[d] = (int) dim;
            size *= dim;
            if (size > Integer.MAX_VALUE) {
                throw new BcflowException(what + ": shape " + proto.getDimsList() + " is too large");
            }
        }
        double[] data = proto.hasRawData() ? fromRaw(proto.getRawData(), type, what) : fromFields(proto, type);
        if (data.length != size) {
            throw new BcflowException(what + ": " + data.length + " values of " + type + " for shape "
                    + Arrays.toString(shape) + (data.length == 0 ? " (data stored outside the file is not supported)" : ""));
        }
        return new Typed(Tensor.wrap(shape, data), type);
    }

    private static double[] fromRaw(ByteString raw, ElementType type, String what) {
        if (raw.size() % type.bytes() != 0) {
            throw new BcflowException(what + ": raw_data of " + raw.size() + " bytes is not a whole number of "
                    + type + " values");
        }
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[raw.size() / type.bytes()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (type) {
                case FLOAT -> b.getFloat();
                case DOUBLE -> b.getDouble();
                case INT64 -> b.getLong();
                case INT32 -> b.getInt();
                case INT8 -> b.get();
                case UINT8 -> b.get() & 0xff;
                case BOOL -> b.get() != 0 ? 1 : 0;
            };
        }
        return out;
    }

    /** The typed fields: ONNX keeps INT8, UINT8 and BOOL in int32_data too. */
    private static double[] fromFields(TensorProto p, ElementType type) {
        return switch (type) {
            case FLOAT -> {
                double[] out = new double[p.getFloatDataCount()];
                Arrays.setAll(out, p::getFloatData);
                yield out;
            }
            case DOUBLE -> p.getDoubleDataList().stream().mapToDouble(Double::doubleValue).toArray();
            case INT64 -> p.getInt64DataList().stream().mapToDouble(Long::doubleValue).toArray();
            case INT32, INT8 -> p.getInt32DataList().stream().mapToDouble(Integer::doubleValue).toArray();
            case UINT8 -> p.getInt32DataList().stream().mapToDouble(v -> v & 0xff).toArray();
            case BOOL -> p.getInt32DataList().stream().mapToDouble(v -> v != 0 ? 1 : 0).toArray();
        };
    }

    /** Encodes {@code t} as {@code type} in raw_data. A FLOAT tensor is rounded to float32, as ONNX stores it. */
    static TensorProto encode(String name, Tensor t, ElementType type) {
        ByteBuffer b = ByteBuffer.allocate(t.size() * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = t.values();
        for (double x : v) {
            if (type.integral() && x != Math.rint(x)) {
                throw new IllegalArgumentException("tensor " + name + ": " + x + " is not an integer, cannot be " + type);
            }
            switch (type) {
                case FLOAT -> b.putFloat((float) x);
                case DOUBLE -> b.putDouble(x);
                case INT64 -> b.putLong((long) x);
                case INT32 -> b.putInt((int) x);
                case INT8, UINT8 -> b.put((byte) (long) x);
                case BOOL -> b.put((byte) (x != 0 ? 1 : 0));
            }
        }
        TensorProto.Builder p = TensorProto.newBuilder().setName(name).setDataType(type.code());
        for (int d : t.shape()) {
            p.addDims(d);
        }
        return p.setRawData(ByteString.copyFrom(b.array())).build();
    }
}
