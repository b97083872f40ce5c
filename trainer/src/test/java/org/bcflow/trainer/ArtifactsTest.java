package org.bcflow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.bcflow.core.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.csv, the PNG plots and the .npy weights of a training run. */
class ArtifactsTest {
    @TempDir
    Path dir;

    @Test
    void npyHeaderAndDataReadBack() throws IOException {
        Path f = dir.resolve("a.npy");
        float[] v = {1.5f, -2f, 0f, 3.25f, 7f, -0.125f};
        Npy.writeFloat32(f, v, 2, 3);
        byte[] b = Files.readAllBytes(f);
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        int headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLength) % 64, "data aligned to 64 bytes");
        String header = new String(b, 10, headerLength, StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.trim());
        assertEquals('\n', header.charAt(header.length() - 1));
        assertEquals(10 + headerLength + 24, b.length);
        Npy.Array a = Npy.read(f);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(v, a.values());
        Npy.writeInt8(dir.resolve("b.npy"), new byte[] {1, -1, 1}, 3);
        Npy.Array c = Npy.read(dir.resolve("b.npy"));
        assertEquals("|i1", c.descr());
        assertArrayEquals(new int[] {3}, c.shape());
        assertArrayEquals(new float[] {1, -1, 1}, c.values());
        assertTrue(new String(Files.readAllBytes(dir.resolve("b.npy")), StandardCharsets.US_ASCII).contains("'shape': (3,)"),
                "a 1-d shape is written as a one-element tuple");
    }

    @Test
    void trainingRunWritesMetricsPlotsAndWeights() throws IOException {
        Dataset data = TestData.bandsDataset(1500, 300);
        TrainConfig cfg = TrainConfig.defaults().withHidden(12, 8).withEpochs(3).withBatchSize(50);
        Path out = dir.resolve("run");
        FloatModel model = Trainer.quiet().reportTo(out).train(data, cfg, null, false);

        List<String> csv = Files.readAllLines(out.resolve(TrainArtifacts.METRICS));
        assertEquals("epoch,loss,train_error,validation_error,test_error,learning_rate,seconds,images_per_second", csv.get(0));
        assertEquals(4, csv.size());
        for (int e = 1; e <= 3; e++) {
            String[] f = csv.get(e).split(",", -1);
            assertEquals(8, f.length, csv.get(e));
            assertEquals(Integer.toString(e), f[0]);
            assertEquals("", f[3], "no validation set below 20,000 images");
            double testError = Double.parseDouble(f[4]);
            assertTrue(testError >= 0 && testError <= 1, csv.get(e));
        }
        for (String png : List.of(TrainArtifacts.ERRORS_PLOT, TrainArtifacts.WEIGHTS_PLOT)) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertEquals(900, img.getWidth(), png);
            assertEquals(560, img.getHeight(), png);
        }
        Path npy = out.resolve(TrainArtifacts.NPY_FOLDER);
        int[][] shapes = {{12, 64}, {8, 12}, {4, 8}};
        for (int i = 0; i < 3; i++) {
            FloatLayer l = model.layers().get(i);
            Npy.Array w = Npy.read(npy.resolve("dense" + i + "_W.npy"));
            Npy.Array wb = Npy.read(npy.resolve("dense" + i + "_Wb.npy"));
            assertArrayEquals(shapes[i], w.shape());
            assertArrayEquals(shapes[i], wb.shape());
            assertEquals("<f4", w.descr());
            assertEquals("|i1", wb.descr());
            assertArrayEquals(l.weights(), w.values());
            for (int j = 0; j < w.values().length; j++) {
                assertEquals(l.sign(j / l.inputs(), j % l.inputs()), wb.values()[j]);
            }
            for (String bn : List.of("gamma", "beta", "running_mean", "running_var")) {
                Npy.Array v = Npy.read(npy.resolve("dense" + i + "_" + bn + ".npy"));
                assertArrayEquals(new int[] {shapes[i][0]}, v.shape(), bn);
            }
            assertArrayEquals(l.gamma(), Npy.read(npy.resolve("dense" + i + "_gamma.npy")).values());
            assertArrayEquals(l.runningVar(), Npy.read(npy.resolve("dense" + i + "_running_var.npy")).values());
        }
    }

    @Test
    void realValuedModelHasNoSignFile() {
        FloatModel m = new FloatModel(TestData.randomModel(1, 6, 4, 3).layers(), false, 0);
        TrainArtifacts.writeNpy(dir, m);
        assertTrue(Files.exists(dir.resolve("dense0_W.npy")));
        assertFalse(Files.exists(dir.resolve("dense0_Wb.npy")));
        assertEquals(Arrays.toString(new int[] {4, 6}), Arrays.toString(Npy.read(dir.resolve("dense0_W.npy")).shape()));
    }
}
