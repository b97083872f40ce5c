package org.bcflow.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;

class SvhnReaderTest {
    @TempDir
    Path dir;

    private static void oneLineNaming(BcflowException e, Path file, String what) {
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private Path write(byte[] content) throws IOException {
        return Files.write(dir.resolve("train_32x32.mat"), content);
    }

    private BcflowException refused(byte[] content) throws IOException {
        Path file = write(content);
        return assertThrows(BcflowException.class, () -> SvhnReader.read(file));
    }

    private static MatFile mat(Matrix x, Matrix y) {
        return Mat5.newMatFile().addArray("X", x).addArray("y", y);
    }

    private static Matrix labels(double... values) {
        Matrix y = Mat5.newMatrix(values.length, 1);
        for (int i = 0; i < values.length; i++) {
            y.setDouble(i, values[i]);
        }
        return y;
    }

    @Test
    void columnMajorImagesBecomeHwcAndTenBecomesZero() throws IOException {
        // X(row, col, channel, image), set by MATLAB subscripts rather than by a linear index
        Matrix x = Mat5.newMatrix(new int[] {32, 32, 3, 2}, MatlabType.UInt8);
        x.setByte(new int[] {0, 1, 0, 0}, (byte) 11);   // image 0: red at (y 0, x 1)
        x.setByte(new int[] {2, 3, 1, 1}, (byte) 22);   // image 1: green at (y 2, x 3)
        x.setByte(new int[] {31, 30, 2, 1}, (byte) 233); // image 1: blue at (y 31, x 30)
        Matrix y = Mat5.newMatrix(2, 1, MatlabType.UInt8);
        y.setByte(0, (byte) 10);
        y.setByte(1, (byte) 3);
        // written compressed, as MATLAB does by default
        Path file = dir.resolve("train_32x32.mat");
        Mat5.writeToFile(mat(x, y), file.toFile());
        LabeledImages set = SvhnReader.read(file);
        assertEquals(2, set.count());
        assertEquals(new org.bcflow.core.FeatureMap(3, 32, 32), set.shape());
        assertEquals(0, set.label(0));
        assertEquals(3, set.label(1));
        assertEquals(11, set.image(0)[(0 * 32 + 1) * 3 + 0]);
        assertEquals(22, set.image(1)[(2 * 32 + 3) * 3 + 1]);
        assertEquals(233, set.image(1)[(31 * 32 + 30) * 3 + 2]);
        assertEquals(11, Arrays.stream(set.image(0)).sum());
        assertEquals(22 + 233, Arrays.stream(set.image(1)).sum());
    }

    @Test
    void roundTripThroughTheWriter() {
        LabeledImages train = ColourImages.random(12, 5);
        LabeledImages test = ColourImages.random(3, 6);
        SvhnWriter.writeFolder(train, test, dir);
        Dataset d = SvhnReader.readFolder(dir, "svhn");
        assertArrayEquals(train.pixels(), d.train().pixels());
        assertArrayEquals(train.labels(), d.train().labels());
        assertArrayEquals(test.pixels(), d.test().pixels());
        assertArrayEquals(test.labels(), d.test().labels());
    }

    @Test
    void oneImageHasNoFourthDimension() throws IOException {
        Matrix x = Mat5.newMatrix(new int[] {32, 32, 3}, MatlabType.UInt8);
        x.setByte(new int[] {5, 6, 2}, (byte) 9);
        LabeledImages set = SvhnReader.read(write(SvhnWriter.bytes(mat(x, labels(1)))));
        assertEquals(1, set.count());
        assertEquals(9, set.image(0)[(5 * 32 + 6) * 3 + 2]);
    }

    @Test
    void wrongShapes() throws IOException {
        Path file = dir.resolve("train_32x32.mat");
        Matrix grey = Mat5.newMatrix(new int[] {32, 32, 1, 2}, MatlabType.UInt8);
        oneLineNaming(refused(SvhnWriter.bytes(mat(grey, labels(1, 2)))), file, "X is 32x32x1x2, expected 32x32x3xN");
        Matrix x = Mat5.newMatrix(new int[] {32, 32, 3, 2}, MatlabType.UInt8);
        oneLineNaming(refused(SvhnWriter.bytes(mat(x, labels(1, 2, 3)))), file, "y is 3x1 but X holds 2 images");
        Matrix doubles = Mat5.newMatrix(new int[] {32, 32, 3, 2}, MatlabType.Double);
        oneLineNaming(refused(SvhnWriter.bytes(mat(doubles, labels(1, 2)))), file, "X is a double array, expected uint8");
    }

    @Test
    void labelsOutsideOneToTen() throws IOException {
        Path file = dir.resolve("train_32x32.mat");
        Matrix x = Mat5.newMatrix(new int[] {32, 32, 3, 2}, MatlabType.UInt8);
        oneLineNaming(refused(SvhnWriter.bytes(mat(x, labels(1, 0)))), file, "y(2) is 0, outside 1..10");
        oneLineNaming(refused(SvhnWriter.bytes(mat(x, labels(11, 1)))), file, "y(1) is 11, outside 1..10");
        oneLineNaming(refused(SvhnWriter.bytes(mat(x, labels(1, 2.5)))), file, "y(2) is 2.5, outside 1..10");
    }

    @Test
    void missingVariable() throws IOException {
        Matrix x = Mat5.newMatrix(new int[] {32, 32, 3, 2}, MatlabType.UInt8);
        BcflowException e = refused(SvhnWriter.bytes(Mat5.newMatFile().addArray("X", x)));
        oneLineNaming(e, dir.resolve("train_32x32.mat"), "no variable y");
        e = refused(SvhnWriter.bytes(Mat5.newMatFile().addArray("X", Mat5.newString("not images")).addArray("y", labels(1))));
        oneLineNaming(e, dir.resolve("train_32x32.mat"), "X is a char, expected a real numeric array");
    }

    @Test
    void notAMatFileTruncatedOrMissing() throws IOException {
        Path file = dir.resolve("train_32x32.mat");
        oneLineNaming(refused("this is text, not a MAT file. ".repeat(10).getBytes()), file, "not a MATLAB v5 MAT file");
        byte[] good = SvhnWriter.bytes(ColourImages.random(2, 7));
        oneLineNaming(refused(Arrays.copyOf(good, good.length - 50)), file, "truncated");
        oneLineNaming(refused(Arrays.copyOf(good, 60)), file, "truncated");
        Path none = dir.resolve("test_32x32.mat");
        BcflowException e = assertThrows(BcflowException.class, () -> SvhnReader.read(none));
        assertEquals("file not found: " + none, e.getMessage());
    }
}
