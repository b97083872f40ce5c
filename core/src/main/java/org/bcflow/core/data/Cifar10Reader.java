package org.bcflow.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.bcflow.core.BcflowException;
import org.bcflow.core.FileErrors;

/**
 * Reads the binary version of CIFAR-10: files of records of one label byte (0..9) and 3072 pixel
 * bytes, a 32x32 plane of red, then green, then blue, each row-major. The planes are reordered to
 * HWC, the order of {@link LabeledImages}.
 *
 * <p>The format has no header, so a file is checked by its length (a whole number of records) and
 * its labels; a file cut at a record boundary cannot be told from a smaller batch.
 */
public final class Cifar10Reader {
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int CLASSES = 10;
    static final int PLANE = SIDE * SIDE;
    static final int RECORD = 1 + CHANNELS * PLANE;

    private Cifar10Reader() {
    }

    /** The training set (the five batches in order) and the test set of a CIFAR-10 folder. */
    public static Dataset readFolder(Path folder, String name) {
        return new Dataset(name, read(TRAIN_FILES.stream().map(folder::resolve).toList()), read(List.of(folder.resolve(TEST_FILE))));
    }

    /** The records of {@code files}, one after another. */
    public static LabeledImages read(List<Path> files) {
        byte[][] contents = new byte[files.size()][];
        long total = 0;
        for (int f = 0; f < files.size(); f++) {
            contents[f] = checked(files.get(f), bytes(files.get(f)));
            total += contents[f].length / RECORD;
        }
        if (total * CHANNELS * PLANE > Integer.MAX_VALUE - 8) {
            throw new BcflowException(files + ": " + total + " images are more than one array holds");
        }
        int count = (int) total;
        byte[] pixels = new byte[count * CHANNELS * PLANE];
        byte[] labels = new byte[count];
        int image = 0;
        for (byte[] content : contents) {
            for (int r = 0; r < content.length / RECORD; r++, image++) {
                int src = r * RECORD;
                labels[image] = content[src];
                int dst = image * CHANNELS * PLANE;
                for (int c = 0; c < CHANNELS; c++) {
                    int plane = src + 1 + c * PLANE;
                    for (int p = 0; p < PLANE; p++) {
                        pixels[dst + p * CHANNELS + c] = content[plane + p];
                    }
                }
            }
        }
        return new LabeledImages(count, CHANNELS, SIDE, SIDE, pixels, labels, CLASSES);
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BcflowException("file not found: " + file);
        } catch (IOException e) {
            throw FileErrors.failure("cannot read", file, e);
        }
    }

    private static byte[] checked(Path file, byte[] content) {
        if (content.length == 0) {
            throw new BcflowException(file + ": empty, holds no CIFAR-10 records");
        }
        if (content.length % RECORD != 0) {
            throw new BcflowException(file + ": " + content.length + " bytes is not a whole number of " + RECORD
                    + "-byte records (1 label + 3072 pixels): truncated, or not a CIFAR-10 binary batch");
        }
        for (int r = 0; r < content.length / RECORD; r++) {
            int label = content[r * RECORD] & 0xff;
            if (label >= CLASSES) {
                throw new BcflowException(file + ": record " + r + " has label " + label + ", outside 0.." + (CLASSES - 1));
            }
        }
        return content;
    }
}
