package org.bcflow.core.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.bcflow.core.AtomicFiles;

/** Writes images and labels as a folder of the four IDX files that {@link Datasets#load} reads. */
public final class IdxWriter {
    private IdxWriter() {
    }

    /** Writes {@code set} (grey images: IDX image files have no channel dimension) as both the training and the test set of a data set folder. */
    public static void writeFolder(LabeledImages set, Path folder) {
        if (set.channels() != 1) {
            throw new IllegalArgumentException("IDX image files hold grey images, not " + set.channels() + " channels");
        }
        for (String prefix : new String[] {"train", "t10k"}) {
            AtomicFiles.write(folder.resolve(prefix + "-images-idx3-ubyte"),
                    idx(0x803, new int[] {set.count(), set.rows(), set.cols()}, set.pixels()));
            AtomicFiles.write(folder.resolve(prefix + "-labels-idx1-ubyte"), idx(0x801, new int[] {set.count()}, set.labels()));
        }
    }

    /** The bytes of an IDX file: magic number, dimensions, data (any magic, so tests can write bad files). */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
