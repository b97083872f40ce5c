package org.bcflow.trainer;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bcflow.core.data.Dataset;
import org.bcflow.core.data.Datasets;
import org.bcflow.core.data.LabeledImages;
import org.junit.jupiter.api.Assumptions;

/** Small data sets and models for the tests. */
final class TestData {
    private TestData() {
    }

    /**
     * 8x8 images in 4 classes: class k has a bright horizontal band in rows 2k and 2k+1, the rest
     * is noise, and a few pixels anywhere are bright at random.
     */
    static LabeledImages bands(int count, long seed) {
        Random rnd = new Random(seed);
        byte[] pixels = new byte[count * 64];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int k = rnd.nextInt(4);
            labels[i] = (byte) k;
            for (int p = 0; p < 64; p++) {
                int row = p / 8;
                int v = row / 2 == k ? 50 + rnd.nextInt(206) : rnd.nextInt(200);
                if (rnd.nextInt(4) == 0) {
                    v = 255 - rnd.nextInt(40);
                }
                pixels[i * 64 + p] = (byte) v;
            }
        }
        return new LabeledImages(count, 8, 8, pixels, labels, 4);
    }

    static Dataset bandsDataset(int train, int test) {
        return new Dataset("bands", bands(train, 1), bands(test, 2));
    }

    /** Images of random bytes. */
    static LabeledImages noise(int count, int rows, int cols, int classes, long seed) {
        Random rnd = new Random(seed);
        byte[] pixels = new byte[count * rows * cols];
        rnd.nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) rnd.nextInt(classes);
        }
        return new LabeledImages(count, rows, cols, pixels, labels, classes);
    }

    /** A model with random parameters; gammas of both signs. */
    static FloatModel randomModel(long seed, int... sizes) {
        Random rnd = new Random(seed);
        List<FloatLayer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            int in = sizes[i];
            int out = sizes[i + 1];
            float[] w = new float[in * out];
            for (int j = 0; j < w.length; j++) {
                w[j] = rnd.nextFloat() * 2 - 1;
            }
            float[] gamma = new float[out];
            float[] beta = new float[out];
            float[] mean = new float[out];
            float[] var = new float[out];
            for (int n = 0; n < out; n++) {
                gamma[n] = (rnd.nextBoolean() ? 1 : -1) * (0.3f + rnd.nextFloat());
                beta[n] = rnd.nextFloat() - 0.3f;
                mean[n] = (float) rnd.nextGaussian();
                var[n] = in / 3f * (0.5f + rnd.nextFloat());
            }
            layers.add(new FloatLayer(in, out, w, gamma, beta, mean, var, BinaryMlp.BN_EPS));
        }
        return new FloatModel(layers);
    }

    /** MNIST, or a skipped test when it is missing and the environment variable CI is unset. */
    static Dataset mnistOrSkip() {
        boolean present = Files.isRegularFile(Datasets.folderOf("mnist").resolve("train-images-idx3-ubyte"))
                || Files.isRegularFile(Datasets.folderOf("mnist").resolve("train-images-idx3-ubyte.gz"));
        String ci = System.getenv("CI");
        Assumptions.assumeTrue(present || (ci != null && !ci.isEmpty()),
                "MNIST not found in " + Datasets.folderOf("mnist") + " (run ./bcflow setup); skipped outside CI");
        return Datasets.load("mnist");
    }
}
