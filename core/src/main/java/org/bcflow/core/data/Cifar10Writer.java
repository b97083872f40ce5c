package org.bcflow.core.data;

import java.nio.file.Path;
import org.bcflow.core.AtomicFiles;

/**
 * Writes images as the binary version of CIFAR-10, the files {@link Cifar10Reader} reads: for tests,
 * and for a data set of one's own in that layout.
 */
public final class Cifar10Writer {
    private Cifar10Writer() {
    }

    /** Writes {@code train} split evenly over the five training batches, and {@code test} as the test batch. */
    public static void writeFolder(LabeledImages train, LabeledImages test, Path folder) {
        int batches = Cifar10Reader.TRAIN_FILES.size();
        if (train.count() < batches) {
            throw new IllegalArgumentException("CIFAR-10 has " + batches + " training batches: give at least " + batches
                    + " training images, not " + train.count());
        }
        for (int b = 0; b < batches; b++) {
            LabeledImages part = train.slice(b * train.count() / batches, (b + 1) * train.count() / batches);
            AtomicFiles.write(folder.resolve(Cifar10Reader.TRAIN_FILES.get(b)), batch(part));
        }
        AtomicFiles.write(folder.resolve(Cifar10Reader.TEST_FILE), batch(test));
    }

    /** The bytes of one batch file: per image its label, then the red, green and blue planes. */
    public static byte[] batch(LabeledImages set) {
        int side = Cifar10Reader.SIDE;
        int channels = Cifar10Reader.CHANNELS;
        if (set.channels() != channels || set.rows() != side || set.cols() != side || set.classes() > Cifar10Reader.CLASSES) {
            throw new IllegalArgumentException("CIFAR-10 holds 3x32x32 images of at most 10 classes, not "
                    + set.shape() + " of " + set.classes());
        }
        int plane = side * side;
        byte[] out = new byte[set.count() * Cifar10Reader.RECORD];
        byte[] pixels = set.pixels();
        for (int i = 0; i < set.count(); i++) {
            int dst = i * Cifar10Reader.RECORD;
            out[dst] = (byte) set.label(i);
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    out[dst + 1 + c * plane + p] = pixels[(i * plane + p) * channels + c];
                }
            }
        }
        return out;
    }
}
