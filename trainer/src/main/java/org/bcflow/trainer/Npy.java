package org.bcflow.trainer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;

/**
 * NumPy {@code .npy} files, format version 1.0, C order, little-endian: {@code float32}
 * ({@code <f4}) and {@code int8} ({@code |i1}). {@code numpy.load(path)} reads what this writes.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {
    }

    /** An array read back: its dtype descriptor, its shape and its values as floats. */
    public record Array(String descr, int[] shape, float[] values) {
    }

    /** Writes a float32 array of the given shape (C order). */
    public static void writeFloat32(Path file, float[] values, int... shape) {
        checkShape(values.length, shape);
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        write(file, "<f4", shape, data.array());
    }

    /** Writes an int8 array of the given shape (C order). */
    public static void writeInt8(Path file, byte[] values, int... shape) {
        checkShape(values.length, shape);
        write(file, "|i1", shape, values);
    }

    /** Reads a float32 or int8 array that {@link #writeFloat32} or {@link #writeInt8} (or NumPy) wrote. */
    public static Array read(Path file) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BcflowException("cannot read " + file + ": " + e.getMessage());
        }
        if (b.length < 10 || !Arrays.equals(b, 0, 6, MAGIC, 0, 6) || b[6] != 1) {
            throw new BcflowException(file + " is not a version 1 .npy file");
        }
        int headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        String header = new String(b, 10, headerLength, StandardCharsets.US_ASCII);
        Matcher descr = Pattern.compile("'descr':\\s*'([^']+)'").matcher(header);
        Matcher order = Pattern.compile("'fortran_order':\\s*(True|False)").matcher(header);
        Matcher shape = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!descr.find() || !order.find() || !shape.find() || order.group(1).equals("True")) {
            throw new BcflowException(file + " has an unsupported .npy header: " + header.trim());
        }
        int[] dims = Arrays.stream(shape.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        int n = Arrays.stream(dims).reduce(1, Math::multiplyExact);
        int offset = 10 + headerLength;
        float[] values = new float[n];
        ByteBuffer data = ByteBuffer.wrap(b, offset, b.length - offset).order(ByteOrder.LITTLE_ENDIAN);
        switch (descr.group(1)) {
            case "<f4" -> {
                if (b.length - offset != 4L * n) {
                    throw new BcflowException(file + " holds " + (b.length - offset) + " data bytes, its shape needs " + 4L * n);
                }
                data.asFloatBuffer().get(values);
            }
            case "|i1" -> {
                if (b.length - offset != n) {
                    throw new BcflowException(file + " holds " + (b.length - offset) + " data bytes, its shape needs " + n);
                }
                for (int i = 0; i < n; i++) {
                    values[i] = b[offset + i];
                }
            }
            default -> throw new BcflowException(file + " has dtype " + descr.group(1) + ", only <f4 and |i1 are read");
        }
        return new Array(descr.group(1), dims, values);
    }

    private static void write(Path file, String descr, int[] shape, byte[] data) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? shape[0] + "," : dims.substring(0, dims.length() - 2);
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + shapeText + "), }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h).put(data);
        AtomicFiles.write(file, out.array());
    }

    private static void checkShape(int n, int[] shape) {
        long product = 1;
        for (int d : shape) {
            product *= d;
        }
        if (shape.length == 0 || product != n) {
            throw new IllegalArgumentException(n + " values do not fill shape " + Arrays.toString(shape));
        }
    }
}
