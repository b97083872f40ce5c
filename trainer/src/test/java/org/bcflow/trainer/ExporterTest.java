package org.bcflow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.Network;
import org.bcflow.core.Reference;
import org.bcflow.core.data.Dataset;
import org.bcflow.core.data.LabeledImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The integer network from the exporter against the float model. */
class ExporterTest {

    @Test
    void namesWidthsAndMetadata() {
        FloatModel m = TestData.randomModel(1, 64, 16, 8, 4);
        Network n = Exporter.toNetwork(m, 4, Map.of("dataset", "bands"));
        assertEquals(3, n.layers().size());
        assertEquals(List.of("dense0", "dense1", "dense2"), n.layers().stream().map(DenseLayer::name).toList());
        assertEquals(8, n.layer(0).inputBits());
        assertEquals(4, n.layer(1).inputBits());
        assertEquals(4, n.layer(2).inputBits());
        assertEquals(0, n.layer(2).shift(), "the output layer keeps its scale in mul and add");
        assertEquals("bands", n.metadata().get("dataset"));
        assertThrows(IllegalArgumentException.class, () -> Exporter.toNetwork(m, 0, Map.of()));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 4})
    void trainedModelClassifiesLikeTheFloatModel(int bits) {
        Dataset data = TestData.bandsDataset(3000, 1000);
        TrainConfig cfg = TrainConfig.defaults().withHidden(32, 16).withEpochs(3).withBatchSize(50);
        FloatModel model = Trainer.quiet().train(data, cfg, null, false);
        assertTrue(model.accuracy(data.test()) > 0.7, "the tiny model did not learn: " + model.accuracy(data.test()));
        Reference ref = new Reference(Exporter.toNetwork(model, bits, Map.of()));
        LabeledImages test = data.test();
        int same = 0;
        for (int i = 0; i < test.count(); i++) {
            same += ref.classify(test.image(i)) == model.predict(test.image(i)) ? 1 : 0;
        }
        double agreement = (double) same / test.count();
        assertTrue(agreement >= (bits == 8 ? 0.99 : 0.95), bits + "-bit network agrees on only " + agreement);
    }

    /** Hidden outputs within 1 LSB of round(clip(y) * (2^k - 1)), scores proportional to y, for gammas of both signs. */
    @ParameterizedTest
    @ValueSource(ints = {8, 4, 2})
    void negativeGammaIsFoldedCorrectly(int bits) {
        FloatModel m = TestData.randomModel(5, 6, 4, 3);
        FloatLayer hidden = m.layers().get(0);
        FloatLayer out = m.layers().get(1);
        assertTrue(anyNegative(hidden.gamma()) && anyNegative(out.gamma()), "test model needs negative gammas");
        Network net = Exporter.toNetwork(m, bits, Map.of());
        Reference ref = new Reference(net);
        FloatModel hiddenOnly = new FloatModel(List.of(hidden)); // its scores are the hidden y before clipping
        double q = (1 << bits) - 1;
        double[] a = out.foldedScale();
        double[] c = out.foldedOffset();
        int top = 0;
        for (int r = 1; r < a.length; r++) {
            top = Math.abs(a[r]) > Math.abs(a[top]) ? r : top;
        }
        double k = net.layer(1).mul(top) / (a[top] / q); // the scale of the integer scores, 2^shift
        LabeledImages images = TestData.noise(500, 1, 6, 3, 9);
        int spread = 0;
        for (int i = 0; i < images.count(); i++) {
            int[] x = images.image(i);
            Reference.Trace t = ref.run(x);
            float[] y = hiddenOnly.scores(x);
            long[] h = t.outputs()[0];
            for (int n = 0; n < y.length; n++) {
                long expected = (long) Math.floor(Math.min(1, Math.max(0, y[n])) * q + 0.5);
                assertTrue(Math.abs(h[n] - expected) <= 1, "image " + i + " neuron " + n + ": " + h[n] + " vs " + expected);
                spread |= h[n] > 0 && h[n] < q ? 1 : 0;
            }
            for (int r = 0; r < a.length; r++) {
                double z = 0;
                for (int j = 0; j < h.length; j++) {
                    z += out.sign(r, j) * h[j] / q;
                }
                double score = a[r] * z + c[r];
                assertEquals(score, t.scores()[r] / k, 1e-3 * (1 + Math.abs(score)), "image " + i + " score " + r);
            }
        }
        assertEquals(1, spread, "no hidden output fell strictly between 0 and the maximum");
    }

    private static boolean anyNegative(float[] v) {
        for (float f : v) {
            if (f < 0) {
                return true;
            }
        }
        return false;
    }
}
