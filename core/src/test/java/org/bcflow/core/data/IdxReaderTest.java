package org.bcflow.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] dims, byte[] data) {
        return IdxWriter.idx(magic, dims, data);
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(b);
        }
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 37);
        }
        return p;
    }

    @Test
    void readsPlainAndGzippedFiles() throws IOException {
        byte[] px = pixels(3 * 2 * 4);
        byte[] images = idx(0x803, new int[] {3, 2, 4}, px);
        byte[] labels = idx(0x801, new int[] {3}, new byte[] {7, 0, 9});
        LabeledImages plain = IdxReader.read(write("i", images), write("l", labels), 10);
        LabeledImages gz = IdxReader.read(write("i.gz", gzip(images)), write("l.gz", gzip(labels)), 10);
        for (LabeledImages set : new LabeledImages[] {plain, gz}) {
            assertEquals(3, set.count());
            assertEquals(2, set.rows());
            assertEquals(4, set.cols());
            assertArrayEquals(px, set.pixels());
            assertEquals(9, set.label(2));
            assertEquals(px[8] & 0xff, set.image(1)[0]);
        }
    }

    @Test
    void wrongMagicNumberIsNamed() throws IOException {
        Path images = write("i", idx(0x801, new int[] {3}, new byte[3]));
        Path labels = write("l", idx(0x801, new int[] {3}, new byte[3]));
        BcflowException e = assertThrows(BcflowException.class, () -> IdxReader.read(images, labels, 10));
        assertTrue(e.getMessage().contains("wrong magic number 0x00000801"), e.getMessage());
        assertTrue(e.getMessage().startsWith(images.toString()), e.getMessage());
    }

    @Test
    void truncatedFileIsRefused() throws IOException {
        byte[] full = idx(0x803, new int[] {3, 2, 4}, pixels(24));
        Path images = write("i", Arrays.copyOf(full, full.length - 5));
        Path labels = write("l", idx(0x801, new int[] {3}, new byte[3]));
        BcflowException e = assertThrows(BcflowException.class, () -> IdxReader.read(images, labels, 10));
        assertTrue(e.getMessage().contains("truncated: header promises 24 values, file holds 19"), e.getMessage());
        Path header = write("h", Arrays.copyOf(full, 6));
        e = assertThrows(BcflowException.class, () -> IdxReader.read(header, labels, 10));
        assertTrue(e.getMessage().contains("truncated inside the header"), e.getMessage());
    }

    @Test
    void countMismatchAndLabelRangeAreRefused() throws IOException {
        Path images = write("i", idx(0x803, new int[] {3, 2, 4}, pixels(24)));
        Path two = write("l2", idx(0x801, new int[] {2}, new byte[2]));
        BcflowException e = assertThrows(BcflowException.class, () -> IdxReader.read(images, two, 10));
        assertTrue(e.getMessage().contains("holds 3 images but") && e.getMessage().contains("holds 2 labels"), e.getMessage());
        Path bad = write("l3", idx(0x801, new int[] {3}, new byte[] {1, 10, 2}));
        e = assertThrows(BcflowException.class, () -> IdxReader.read(images, bad, 10));
        assertTrue(e.getMessage().contains("label 1 is 10, outside 0..9"), e.getMessage());
    }

    @Test
    void missingFileAndUnknownDataSetGiveOneLine() {
        BcflowException e = assertThrows(BcflowException.class,
                () -> IdxReader.read(dir.resolve("nope"), dir.resolve("nope2"), 10));
        assertTrue(e.getMessage().startsWith("file not found"), e.getMessage());
        e = assertThrows(BcflowException.class, () -> Datasets.load(dir.resolve("empty").toString()));
        assertTrue(e.getMessage().startsWith("no IDX data set at"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void loadsAFolderOfFourFiles() throws IOException {
        write("train-images-idx3-ubyte.gz", gzip(idx(0x803, new int[] {4, 2, 2}, pixels(16))));
        write("train-labels-idx1-ubyte", idx(0x801, new int[] {4}, new byte[] {1, 2, 3, 4}));
        write("t10k-images-idx3-ubyte", idx(0x803, new int[] {2, 2, 2}, pixels(8)));
        write("t10k-labels-idx1-ubyte.gz", gzip(idx(0x801, new int[] {2}, new byte[] {5, 6})));
        Dataset d = Datasets.load(dir.toString());
        assertEquals(4, d.train().count());
        assertEquals(2, d.test().count());
        assertEquals(6, d.test().label(1));
    }
}
