package org.bcflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchNormTest {

    /**
     * The one-pass statistics (chunk moments combined in double) against a two-pass computation
     * in double: conv and dense layers' shapes (blocks of one image, and of several, the last one
     * short), a large mean beside a small spread (where a naive sum of squares loses its digits);
     * every block handed on to the caller's work as it is read.
     */
    @ParameterizedTest
    @CsvSource({"100, 784, 32", "100, 196, 64", "100, 1, 512", "7, 1, 3", "100, 1, 10", "9, 5, 300"})
    void statisticsMatchTwoPassDouble(int images, int rowsPerImage, int n) {
        int rows = images * rowsPerImage;
        Random rnd = new Random(rows * 31L + n);
        float[] z = new float[rows * n];
        for (int i = 0; i < z.length; i++) {
            int c = i % n;
            z[i] = (float) (100.0 * c + (c + 1) * 0.01 * rnd.nextGaussian());
        }
        FloatBuffer nativeZ = ByteBuffer.allocateDirect(z.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        nativeZ.put(0, z);
        float[][] buffers = new float[2][BatchNorm.blockImages((long) rowsPerImage * n) * rowsPerImage * n];
        float[] mean = new float[n];
        float[] invStd = new float[n];
        float[] runMean = new float[n];
        float[] runVar = new float[n];
        int perImage = rowsPerImage * n;
        int[] seen = new int[images];
        int[] wrong = new int[1];
        BatchNorm.Moments[] halves = {new BatchNorm.Moments(n), new BatchNorm.Moments(n)};
        SecondCore core = new SecondCore();
        try {
            BatchNorm.statistics(core, true, images, rowsPerImage, n, nativeZ, buffers, mean, invStd, runMean, runVar, halves,
                    (block, offset, first, end) -> {
                        for (int b = first; b < end; b++) {
                            seen[b]++;
                            for (int i = b * perImage; i < (b + 1) * perImage; i++) {
                                if (block[i - offset] != z[i]) {
                                    wrong[0]++;
                                }
                            }
                        }
                    });
        } finally {
            core.shutdown();
        }
        int[] once = new int[images];
        java.util.Arrays.fill(once, 1);
        org.junit.jupiter.api.Assertions.assertArrayEquals(once, seen, "each image's block handed on once");
        assertEquals(0, wrong[0], "values of the blocks handed on that are not z's");
        for (int c = 0; c < n; c++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += z[r * n + c];
            }
            double m = sum / rows;
            double sq = 0;
            for (int r = 0; r < rows; r++) {
                double dev = z[r * n + c] - m;
                sq += dev * dev;
            }
            double var = sq / rows;
            assertEquals(m, mean[c], 1e-6 * Math.abs(m) + 1e-6, "mean of channel " + c);
            assertEquals(1 / Math.sqrt(var + BatchNorm.EPS), invStd[c], 1e-4 / Math.sqrt(var + BatchNorm.EPS), "1/std of channel " + c);
            assertEquals(BatchNorm.MOMENTUM * var * rows / (rows - 1), runVar[c], 1e-4 * var + 1e-9,   // from 0
                    "running variance of channel " + c);
        }
    }
}
