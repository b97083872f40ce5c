package org.bcflow.qonnx;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.bcflow.core.BcflowException;

/** The ONNX element types bcflow reads and writes, with ONNX's codes (TensorProto.DataType). */
public enum ElementType {
    FLOAT(1, 4),
    UINT8(2, 1),
    INT8(3, 1),
    INT32(6, 4),
    INT64(7, 8),
    BOOL(9, 1),
    DOUBLE(11, 8);

    /** ONNX's names of all codes, so that a refusal can say which type a file holds. */
    private static final String[] ONNX_NAMES = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32",
        "INT64", "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};

    private final int code;
    private final int bytes;

    ElementType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** ONNX's number for this type. */
    public int code() {
        return code;
    }

    /** The size of one value in raw_data. */
    public int bytes() {
        return bytes;
    }

    /** Whether values of this type are integers (so a value written must be one). */
    public boolean integral() {
        return this != FLOAT && this != DOUBLE;
    }

    /** The type of ONNX code {@code code}; {@code what} names the tensor or value for the one-line refusal. */
    public static ElementType of(int code, String what) {
        for (ElementType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new BcflowException(what + ": element type " + onnxName(code) + " is not supported (supported: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
    }

    static String onnxName(int code) {
        return code >= 0 && code < ONNX_NAMES.length ? ONNX_NAMES[code] : "code " + code;
    }
}
