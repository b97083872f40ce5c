package org.bcflow.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.Deflater;
import org.bcflow.core.AtomicFiles;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sinks;

/**
 * Writes images as SVHN format 2, the MATLAB v5 files {@link SvhnReader} reads, through the same
 * MAT library: {@code X} uint8 32x32x3xN in column-major order, {@code y} double Nx1 with the digit
 * 0 as label 10, as in the published files.
 */
public final class SvhnWriter {
    private SvhnWriter() {
    }

    public static void writeFolder(LabeledImages train, LabeledImages test, Path folder) {
        write(train, folder.resolve(SvhnReader.TRAIN_FILE));
        write(test, folder.resolve(SvhnReader.TEST_FILE));
    }

    public static void write(LabeledImages set, Path file) {
        AtomicFiles.write(file, bytes(set));
    }

    /** The MAT file holding {@code set}. */
    public static byte[] bytes(LabeledImages set) {
        int side = SvhnReader.SIDE;
        int channels = SvhnReader.CHANNELS;
        if (set.channels() != channels || set.rows() != side || set.cols() != side || set.classes() > SvhnReader.CLASSES) {
            throw new IllegalArgumentException("SVHN holds 3x32x32 images of at most 10 classes, not "
                    + set.shape() + " of " + set.classes());
        }
        Matrix x = Mat5.newMatrix(new int[] {side, side, channels, set.count()}, MatlabType.UInt8);
        byte[] pixels = set.pixels();
        int perImage = set.pixelsPerImage();
        int dst = 0;
        for (int n = 0; n < set.count(); n++) {
            for (int c = 0; c < channels; c++) {
                for (int col = 0; col < side; col++) {
                    for (int row = 0; row < side; row++) {
                        x.setByte(dst++, pixels[n * perImage + (row * side + col) * channels + c]);
                    }
                }
            }
        }
        Matrix y = Mat5.newMatrix(set.count(), 1);
        for (int n = 0; n < set.count(); n++) {
            y.setDouble(n, set.label(n) == 0 ? SvhnReader.ZERO_LABEL : set.label(n));
        }
        return bytes(Mat5.newMatFile().addArray("X", x).addArray("y", y));
    }

    /** A MAT file's bytes, uncompressed (any variables, so tests can write files SVHN would not hold). */
    public static byte[] bytes(MatFile mat) {
        try {
            // uncompressed, the size is known before writing; compressing random test images would only grow them
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(mat.getUncompressedSerializedSize()));
            Mat5.newWriter(Sinks.wrap(buffer)).setDeflateLevel(Deflater.NO_COMPRESSION).writeMat(mat);
            buffer.flip();
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
