package org.bcflow.core.data;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.ZipException;
import org.bcflow.core.BcflowException;
import org.bcflow.core.FileErrors;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;

/**
 * Reads SVHN in format 2 (cropped 32x32 digits): MATLAB v5 files holding {@code X}, a uint8
 * array of 32x32x3xN (row, column, channel, image) in MATLAB's column-major order, and {@code y},
 * N labels 1..10 where 10 stands for the digit 0. Images are reordered to HWC, the order of
 * {@link LabeledImages}, and label 10 becomes 0, so that label i is the digit i.
 *
 * <p>The MAT file is parsed by MFL (MAT File Library), which also handles compressed variables.
 */
public final class SvhnReader {
    public static final String TRAIN_FILE = "train_32x32.mat";
    public static final String TEST_FILE = "test_32x32.mat";
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int CLASSES = 10;
    /** The label SVHN gives the digit 0. */
    static final int ZERO_LABEL = 10;

    private SvhnReader() {
    }

    /** The training and test sets of an SVHN folder (the extra set is not read). */
    public static Dataset readFolder(Path folder, String name) {
        return new Dataset(name, read(folder.resolve(TRAIN_FILE)), read(folder.resolve(TEST_FILE)));
    }

    public static LabeledImages read(Path file) {
        try (Mat5File mat = open(file)) {
            Matrix x = matrix(file, mat, "X");
            Matrix y = matrix(file, mat, "y");
            int count = imageCount(file, x);
            checkLabelShape(file, y, count);
            byte[] labels = labels(file, y, count);
            return new LabeledImages(count, CHANNELS, SIDE, SIDE, hwc(x, count), labels, CLASSES);
        } catch (IOException e) {
            throw FileErrors.failure("cannot close", file, e);
        }
    }

    private static Mat5File open(Path file) {
        if (Files.notExists(file)) {
            throw new BcflowException("file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new BcflowException(file + ": not a file");
        }
        try {
            return Mat5.readFromFile(file.toFile());
        } catch (IOException e) {
            // MFL wraps what went wrong in the file's content in an IOException
            Throwable cause = e.getCause();
            if (cause instanceof EOFException) {
                throw new BcflowException(file + ": truncated: the MAT file ends inside its data");
            }
            if (cause instanceof IllegalArgumentException) {
                throw new BcflowException(file + ": not a MATLAB v5 MAT file (" + cause.getMessage() + ")");
            }
            if (cause instanceof ZipException) {
                throw new BcflowException(file + ": corrupt compressed data in the MAT file (" + cause.getMessage() + ")");
            }
            throw FileErrors.failure("cannot read", file, e);
        } catch (RuntimeException e) {
            // a damaged file can trip the parser anywhere; the user needs the file's name, not a stack trace
            throw new BcflowException(file + ": cannot be read as a MAT file (" + e + ")");
        }
    }

    private static Matrix matrix(Path file, MatFile mat, String name) {
        for (MatFile.Entry entry : mat.getEntries()) {
            if (entry.getName().equals(name)) {
                Array value = entry.getValue();
                if (value instanceof Matrix m && !m.isComplex()) {
                    return m;
                }
                throw new BcflowException(file + ": " + name + " is a " + describe(value) + ", expected a real numeric array");
            }
        }
        throw new BcflowException(file + ": no variable " + name + " (SVHN format 2 holds X and y)");
    }

    /** N of an X of 32x32x3xN; MATLAB drops trailing singleton dimensions, so one image is 32x32x3. */
    private static int imageCount(Path file, Matrix x) {
        int[] d = x.getDimensions();
        boolean shape = (d.length == 3 || d.length == 4) && d[0] == SIDE && d[1] == SIDE && d[2] == CHANNELS;
        if (!shape) {
            throw new BcflowException(file + ": X is " + dims(d) + ", expected 32x32x3xN");
        }
        if (x.getType() != MatlabType.UInt8 || x.isLogical()) {
            throw new BcflowException(file + ": X is a " + describe(x) + ", expected uint8");
        }
        int count = d.length == 4 ? d[3] : 1;
        if (count == 0) {
            throw new BcflowException(file + ": X holds no images");
        }
        return count;
    }

    private static void checkLabelShape(Path file, Matrix y, int count) {
        int[] d = y.getDimensions();
        boolean vector = d.length == 2 && (d[0] == 1 || d[1] == 1);
        if (!vector || y.getNumElements() != count) {
            throw new BcflowException(file + ": y is " + dims(d) + " but X holds " + count + " images (expected "
                    + count + "x1)");
        }
    }

    private static byte[] labels(Path file, Matrix y, int count) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            double v = y.getDouble(i);
            if (!(v >= 1 && v <= ZERO_LABEL && v == Math.rint(v))) {
                String shown = v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
                throw new BcflowException(file + ": y(" + (i + 1) + ") is " + shown + ", outside 1..10");
            }
            labels[i] = (byte) (v == ZERO_LABEL ? 0 : v);
        }
        return labels;
    }

    /** X's column-major (y, x, c, n) element y + 32x + 1024c + 3072n to HWC. */
    private static byte[] hwc(Matrix x, int count) {
        int perImage = CHANNELS * SIDE * SIDE;
        byte[] pixels = new byte[count * perImage];
        int src = 0;
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < CHANNELS; c++) {
                for (int col = 0; col < SIDE; col++) {
                    for (int row = 0; row < SIDE; row++) {
                        pixels[n * perImage + (row * SIDE + col) * CHANNELS + c] = x.getByte(src++);
                    }
                }
            }
        }
        return pixels;
    }

    private static String describe(Array a) {
        if (a instanceof Matrix m) {
            return (m.isLogical() ? "logical" : String.valueOf(m.getType())) + (m.isComplex() ? " complex" : "") + " array";
        }
        return String.valueOf(a.getType());
    }

    private static String dims(int[] d) {
        return Arrays.stream(d).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }
}
