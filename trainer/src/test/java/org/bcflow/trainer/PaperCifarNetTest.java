package org.bcflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.bcflow.core.Architecture;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.Network;
import org.bcflow.core.Reference;
import org.bcflow.core.data.Cifar10Writer;
import org.bcflow.core.data.Dataset;
import org.bcflow.core.data.Datasets;
import org.bcflow.core.data.LabeledImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper's CIFAR-10 network, 2x128C3-MP2-2x256C3-MP2-2x512C3-MP2-2x1024FC-10, end to end on a
 * small synthetic CIFAR-10 folder written in the real binary format: it trains a few steps with
 * its loss going down, exports, and its integer network runs in the reference.
 */
class PaperCifarNetTest {
    static final Architecture PAPER_NET = Architecture.parse("2x128C3-MP2-2x256C3-MP2-2x512C3-MP2-2x1024FC-10");

    /** 3x32x32 images: noise, plus a bright 8x8 square whose channel and place tell the class. */
    static LabeledImages synthetic(int count, long seed) {
        Random rnd = new Random(seed);
        byte[] pixels = new byte[count * 3 * 32 * 32];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int k = rnd.nextInt(10);
            labels[i] = (byte) k;
            int y0 = (k / 4) * 10;
            int x0 = (k % 4) * 8;
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    for (int c = 0; c < 3; c++) {
                        boolean square = y >= y0 && y < y0 + 8 && x >= x0 && x < x0 + 8 && c == k % 3;
                        pixels[i * 3072 + (y * 32 + x) * 3 + c] = (byte) (square ? 200 + rnd.nextInt(56) : rnd.nextInt(90));
                    }
                }
            }
        }
        return new LabeledImages(count, 3, 32, 32, pixels, labels, 10);
    }

    @Test
    void trainsExportsAndRunsInTheReference(@TempDir Path dir) {
        Cifar10Writer.writeFolder(synthetic(100, 1), synthetic(4, 2), dir);
        Dataset data = Datasets.load("cifar10", dir);
        assertEquals(new FeatureMap(3, 32, 32), data.train().shape());
        TrainConfig cfg = TrainConfig.defaults().withArch(PAPER_NET).withEpochs(3).withBatchSize(10)
                .withLearningRates(3e-3, 1e-3).withMethod(TrainConfig.Method.defaults().withActivationBits(4));
        Trainer trainer = Trainer.quiet();
        FloatModel model = trainer.train(data, cfg, null, false);
        var epochs = trainer.history();
        assertTrue(epochs.get(2).loss() < epochs.get(0).loss(), "loss " + epochs.get(0).loss() + " -> " + epochs.get(2).loss());

        Network net = Exporter.toNetwork(model, 4, Map.of());
        assertEquals(6, net.stack().stream().filter(l -> l.kind().equals("conv")).count());
        assertEquals(3, net.stack().stream().filter(l -> l.kind().equals("maxpool")).count());
        assertEquals(3, net.stack().stream().filter(l -> l.kind().equals("dense")).count());
        Reference ref = new Reference(net);
        for (int i = 0; i < data.test().count(); i++) {
            Reference.Trace t = ref.run(data.test().image(i));
            assertEquals(10, t.scores().length);
            assertEquals(model.predict(data.test().image(i)), t.predictedClass(), "image " + i + ": integer and float class");
        }
    }
}
