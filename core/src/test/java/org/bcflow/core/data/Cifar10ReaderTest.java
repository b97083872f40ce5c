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
import java.util.List;
import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {
    @TempDir
    Path dir;

    private static void oneLineNaming(BcflowException e, Path file, String what) {
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private BcflowException refused(byte[] content) throws IOException {
        Path file = Files.write(dir.resolve("data_batch_1.bin"), content);
        return assertThrows(BcflowException.class, () -> Cifar10Reader.read(List.of(file)));
    }

    @Test
    void planarRecordsBecomeHwc() throws IOException {
        // one record written by hand: label 7, value (y, x, c) at 1 + c*1024 + y*32 + x
        byte[] record = new byte[Cifar10Reader.RECORD];
        record[0] = 7;
        record[1 + 0 * 1024 + 0 * 32 + 1] = 11;   // red at (0, 1)
        record[1 + 1 * 1024 + 2 * 32 + 3] = 22;   // green at (2, 3)
        record[1 + 2 * 1024 + 31 * 32 + 30] = (byte) 233; // blue at (31, 30)
        Path file = Files.write(dir.resolve("test_batch.bin"), record);
        LabeledImages set = Cifar10Reader.read(List.of(file));
        assertEquals(1, set.count());
        assertEquals(new org.bcflow.core.FeatureMap(3, 32, 32), set.shape());
        assertEquals(7, set.label(0));
        int[] image = set.image(0);
        assertEquals(11, image[(0 * 32 + 1) * 3 + 0]);
        assertEquals(22, image[(2 * 32 + 3) * 3 + 1]);
        assertEquals(233, image[(31 * 32 + 30) * 3 + 2]);
        assertEquals(11 + 22 + 233, Arrays.stream(image).sum());
    }

    @Test
    void roundTripThroughTheWriter() {
        LabeledImages train = ColourImages.random(12, 1);
        LabeledImages test = ColourImages.random(3, 2);
        Cifar10Writer.writeFolder(train, test, dir);
        Dataset d = Cifar10Reader.readFolder(dir, "cifar10");
        assertArrayEquals(train.pixels(), d.train().pixels());
        assertArrayEquals(train.labels(), d.train().labels());
        assertArrayEquals(test.pixels(), d.test().pixels());
        assertArrayEquals(test.labels(), d.test().labels());
        assertEquals(10, d.train().classes());
        // the five batches share the training images
        assertEquals(12, Cifar10Reader.TRAIN_FILES.stream().mapToLong(f -> dir.resolve(f).toFile().length()).sum()
                / Cifar10Reader.RECORD);
    }

    @Test
    void truncatedOrWrongSizeFile() throws IOException {
        byte[] two = Cifar10Writer.batch(ColourImages.random(2, 3));
        Path file = dir.resolve("data_batch_1.bin");
        oneLineNaming(refused(Arrays.copyOf(two, two.length - 100)), file, "6046 bytes is not a whole number of 3073-byte records");
        oneLineNaming(refused(Arrays.copyOf(two, two.length + 1)), file, "truncated, or not a CIFAR-10 binary batch");
        oneLineNaming(refused(new byte[0]), file, "empty");
    }

    @Test
    void badLabel() throws IOException {
        byte[] two = Cifar10Writer.batch(ColourImages.random(2, 4));
        two[Cifar10Reader.RECORD] = 10;
        oneLineNaming(refused(two), dir.resolve("data_batch_1.bin"), "record 1 has label 10, outside 0..9");
    }

    @Test
    void missingFile() {
        Path none = dir.resolve("data_batch_9.bin");
        BcflowException e = assertThrows(BcflowException.class, () -> Cifar10Reader.read(List.of(none)));
        assertEquals("file not found: " + none, e.getMessage());
    }
}
