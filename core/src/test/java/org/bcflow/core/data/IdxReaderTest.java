package org.bcflow.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
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

    /** Gzip without compression: the data sits in stored blocks, so only the CRC can notice a changed byte. */
    static byte[] gzipStored(byte[] b) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes) {
            {
                def.setLevel(Deflater.NO_COMPRESSION);
            }
        }) {
            gz.write(b);
        }
        return bytes.toByteArray();
    }

    /** Images with some structure and some noise, as a deflate stream of Huffman blocks gets from real data. */
    private static byte[] realisticPixels(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i % 28 < 14 ? rnd.nextInt(256) : rnd.nextInt(4) * 60);
        }
        return p;
    }

    private BcflowException refused(Path images, Path labels) {
        BcflowException e = assertThrows(BcflowException.class, () -> IdxReader.read(images, labels, 10));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    private static void mentions(BcflowException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void changedBytesInAStoredGzipFailTheCrc() throws IOException {
        byte[] images = idx(0x803, new int[] {40, 28, 28}, realisticPixels(40 * 28 * 28, 1));
        byte[] gz = gzipStored(images);
        for (int i = 0; i < 64; i++) {
            gz[gz.length / 2 + i] ^= 0x5a;
        }
        Path file = write("i.gz", gz);
        Path labels = write("l", idx(0x801, new int[] {40}, new byte[40]));
        BcflowException e = refused(file, labels);
        assertEquals(file + ": corrupt gzip data (CRC or length mismatch)", e.getMessage());
    }

    @Test
    void corruptDeflateDataIsRefusedWherever() throws IOException {
        byte[] images = idx(0x803, new int[] {40, 28, 28}, realisticPixels(40 * 28 * 28, 2));
        byte[] good = gzip(images);
        Path labels = write("l", idx(0x801, new int[] {40}, new byte[40]));
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 40; trial++) {
            byte[] gz = good.clone();
            int at = 10 + rnd.nextInt(gz.length - 8 - 10 - 64);  // inside the deflate body: after the header, before the trailer
            for (int i = 0; i < 64; i++) {
                gz[at + i] = (byte) rnd.nextInt(256);
            }
            Path file = write("c" + trial + ".gz", gz);
            BcflowException e = refused(file, labels);
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(": corrupt gzip data ("),
                    "trial " + trial + " at " + at + ": " + e.getMessage());
        }
    }

    @Test
    void gzipCutInTheDataSaysTruncatedWithFigures() throws IOException {
        byte[] images = idx(0x803, new int[] {40, 28, 28}, realisticPixels(40 * 28 * 28, 3));
        byte[] gz = gzip(images);
        Path labels = write("l", idx(0x801, new int[] {40}, new byte[40]));
        Path half = write("half.gz", Arrays.copyOf(gz, gz.length / 2));
        BcflowException e = refused(half, labels);
        mentions(e, half + ": truncated: header promises 31360 values, the gzip data holds ");
        assertFalse(e.getMessage().contains("inside the header"), e.getMessage());
        Path noTrailer = write("notrailer.gz", Arrays.copyOf(gz, gz.length - 4));
        e = refused(noTrailer, labels);
        assertEquals(noTrailer + ": truncated: the gzip data ends before its trailer, so its CRC cannot be checked",
                e.getMessage());
        Path header = write("header.gz", Arrays.copyOf(gz, 6));
        e = refused(header, labels);
        mentions(e, header + ": truncated inside the gzip header");
    }

    @Test
    void bytesAfterThePromisedDataAreRefused() throws IOException {
        byte[] images = idx(0x803, new int[] {3, 2, 4}, pixels(24));
        byte[] longer = Arrays.copyOf(images, images.length + 5);
        Path labels = write("l", idx(0x801, new int[] {3}, new byte[3]));
        Path plain = write("i", longer);
        assertEquals(plain + ": 5 bytes after the 24 values the header promises", refused(plain, labels).getMessage());
        Path gz = write("i.gz", gzip(longer));
        assertEquals(gz + ": 5 bytes after the 24 values the header promises", refused(gz, labels).getMessage());
        Path twoMembers = write("two.gz", concat(gzip(images), gzip(new byte[] {1, 2})));
        assertEquals(twoMembers + ": 2 bytes after the 24 values the header promises", refused(twoMembers, labels).getMessage());
        Path images3 = write("i3", images);
        Path longLabels = write("l4", Arrays.copyOf(idx(0x801, new int[] {3}, new byte[3]), 8 + 3 + 1));
        assertEquals(longLabels + ": 1 byte after the 3 values the header promises", refused(images3, longLabels).getMessage());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void imagesWithoutPixelsAreRefused() throws IOException {
        Path labels = write("l", idx(0x801, new int[] {3}, new byte[3]));
        Path noRows = write("rows", idx(0x803, new int[] {3, 0, 28}, new byte[0]));
        assertEquals(noRows + ": images of 0x28 pixels", refused(noRows, labels).getMessage());
        Path noCols = write("cols", idx(0x803, new int[] {3, 28, 0}, new byte[0]));
        assertEquals(noCols + ": images of 28x0 pixels", refused(noCols, labels).getMessage());
    }

    @Test
    void anEmptySetIsRefused() throws IOException {
        Path none = write("i", idx(0x803, new int[] {0, 28, 28}, new byte[0]));
        Path noLabels = write("l", idx(0x801, new int[] {0}, new byte[0]));
        assertEquals(none + ": holds no images", refused(none, noLabels).getMessage());
        // and so does loading a data set whose test set is empty
        Path set = Files.createDirectories(dir.resolve("set"));
        Files.write(set.resolve("train-images-idx3-ubyte"), idx(0x803, new int[] {2, 2, 2}, pixels(8)));
        Files.write(set.resolve("train-labels-idx1-ubyte"), idx(0x801, new int[] {2}, new byte[] {1, 2}));
        Files.write(set.resolve("t10k-images-idx3-ubyte"), idx(0x803, new int[] {0, 2, 2}, new byte[0]));
        Files.write(set.resolve("t10k-labels-idx1-ubyte"), idx(0x801, new int[] {0}, new byte[0]));
        BcflowException e = assertThrows(BcflowException.class, () -> Datasets.load(set.toString()));
        assertEquals(set.resolve("t10k-images-idx3-ubyte") + ": holds no images", e.getMessage());
    }

    @Test
    void dimensionsWhoseProductOverflowsAreRefused() throws IOException {
        int big = 1 << 22; // 2^66 values: a product in 64 bits wraps around to 0
        Path huge = write("huge", idx(0x803, new int[] {big, big, big}, new byte[0]));
        Path labels = write("l", idx(0x801, new int[] {3}, new byte[3]));
        mentions(refused(huge, labels), huge + ": ", "too large");
    }
}
