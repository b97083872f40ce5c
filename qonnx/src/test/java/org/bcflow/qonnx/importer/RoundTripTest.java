package org.bcflow.qonnx.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bcflow.core.Architecture;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.qonnx.OnnxGraph;
import org.bcflow.qonnx.QonnxExporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bcflow network exported to QONNX and imported back is the same network (the same hash),
 * and the exported model, run in double, agrees with it on every class and every code.
 */
class RoundTripTest {
    static Stream<Arguments> networks() {
        Network mlp = RandomNetwork.create(5, new int[] {64, 16, 12, 10}, new int[] {8, 2, 2});
        Network mlp4 = RandomNetwork.create(6, new int[] {64, 24, 10}, new int[] {8, 4});
        Network staged = RandomNetwork.withImportedStages(RandomNetwork.create(7, new int[] {64, 16, 12, 10}, new int[] {2, 2, 1}), 7, 8);
        Network cnn = RandomNetwork.create(8, new FeatureMap(1, 8, 8), Architecture.parse("4C3-MP2-6C3v-5"), new int[] {8, 3, 2});
        Network cnnFc = RandomNetwork.create(9, new FeatureMap(1, 8, 8), Architecture.parse("4C3-MP2-8FC-5"), new int[] {8, 2, 2});
        Network cnnStaged = RandomNetwork.withImportedStages(RandomNetwork.create(10, new FeatureMap(1, 8, 8),
                Architecture.parse("4C3-MP2-6C3v-5"), new int[] {2, 2, 1}), 10, 8);
        Network rgb = RandomNetwork.create(11, new FeatureMap(3, 6, 6), Architecture.parse("4C3-MP2-5C2v-4FC-3"), new int[] {8, 2, 3, 4});
        return Stream.of(Arguments.of("mlp", mlp), Arguments.of("mlp 4-bit", mlp4), Arguments.of("mlp with stages", staged),
                Arguments.of("cnn", cnn), Arguments.of("cnn with a dense layer", cnnFc), Arguments.of("cnn with stages", cnnStaged),
                Arguments.of("3-channel cnn", rgb));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void exportThenImportGivesTheSameNetwork(String what, Network net) {
        OnnxGraph model = OnnxGraph.parse(QonnxExporter.export(net).toBytes(), what);
        ImportedNetwork back = QonnxImporter.importGraph(model, what);
        assertEquals(net.layers(), back.network().layers(), what);
        assertEquals(net.quantizer(), back.network().quantizer(), what);
        assertEquals(net.hash(), back.network().hash(), what);
        ImportCheck.Result r = ImportCheck.run(back, images(net.input(), 40, 3));
        assertTrue(r.agrees(), r.firstDisagreement());
        assertTrue(r.activationsCompared() > 0);
    }

    /** Random images, the all-0 and all-255 ones first. */
    static LabeledImages images(FeatureMap shape, int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = shape.size();
        byte[] px = new byte[count * n];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < n; j++) {
                px[i * n + j] = (byte) (i == 0 ? 0 : i == 1 ? 255 : rnd.nextInt(256));
            }
            labels[i] = (byte) rnd.nextInt(3);
        }
        return shape.isVector() ? new LabeledImages(count, 1, 1, n, px, labels, 10)
                : new LabeledImages(count, shape.channels(), shape.height(), shape.width(), px, labels, 10);
    }
}
