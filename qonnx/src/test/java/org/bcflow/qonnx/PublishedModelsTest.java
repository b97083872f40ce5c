package org.bcflow.qonnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bcflow.core.data.Datasets;
import org.bcflow.core.data.LabeledImages;
import org.junit.jupiter.api.Test;

/**
 * The two TFC networks Brevitas published in QONNX, run on the 10,000 MNIST test images. The
 * expected accuracies are exact evaluations of these files (SOURCE.md next to them): the class is
 * the lowest index among equal maximum scores, and about 30 images tie.
 */
class PublishedModelsTest {

    @Test
    void tfc1w1aScores9296PercentOnMnist() {
        assertEquals(9296, correct("TFC_1W1A.onnx"));
    }

    @Test
    void tfc1w2aScores9474PercentOnMnist() {
        assertEquals(9474, correct("TFC_1W2A.onnx"));
    }

    @Test
    void tfc1w1aReadsAsOneInputWithBipolarWeightsFolded() {
        OnnxGraph graph = OnnxGraph.read(SharedFiles.tfcModels().resolve("TFC_1W1A.onnx"));
        assertEquals(1, graph.inputs().size());
        assertArrayEquals(new int[] {1, 1, 28, 28}, graph.inputs().get(0).shape());
        assertEquals(9, graph.standardOpset(0));
        Map<String, Tensor> folded = GraphExecutor.foldConstants(graph);
        List<Tensor> weights = graph.nodes().stream().filter(n -> n.opType().equals("MatMul"))
                .map(n -> folded.get(n.inputs().get(1))).toList();
        assertEquals(4, weights.size());
        assertArrayEquals(new int[] {784, 64}, weights.get(0).shape());
        assertArrayEquals(new int[] {64, 10}, weights.get(3).shape());
        for (Tensor w : weights) {
            assertTrue(Arrays.stream(w.data()).allMatch(v -> v == 1 || v == -1));
        }
    }

    @Test
    void tfc1w2aRunsTheSameAfterARoundTripThroughBcflowsWriter() {
        OnnxGraph graph = OnnxGraph.read(SharedFiles.tfcModels().resolve("TFC_1W2A.onnx"));
        OnnxGraph back = OnnxGraph.parse(graph.toBytes(), "rewritten TFC_1W2A");
        LabeledImages test = Datasets.load("mnist", SharedFiles.mnist()).test().first(100);
        GraphExecutor original = new GraphExecutor(graph);
        GraphExecutor rewritten = new GraphExecutor(back);
        for (int i = 0; i < test.count(); i++) {
            Tensor x = image(test, i);
            assertEquals(original.run(Map.of("0", x)), rewritten.run(Map.of("0", x)));
        }
    }

    private static Tensor image(LabeledImages images, int i) {
        int[] pixels = images.image(i);
        double[] x = new double[pixels.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = pixels[j] / 255.0;
        }
        return Tensor.of(new int[] {1, 1, 28, 28}, x);
    }

    private static int correct(String file) {
        OnnxGraph graph = OnnxGraph.read(SharedFiles.tfcModels().resolve(file));
        LabeledImages test = Datasets.load("mnist", SharedFiles.mnist()).test();
        GraphExecutor executor = new GraphExecutor(graph);
        String input = graph.inputs().get(0).name();
        String output = graph.outputs().get(0).name();
        int correct = 0;
        for (int i = 0; i < test.count(); i++) {
            Tensor scores = executor.run(Map.of(input, image(test, i))).get(output);
            if (argmax(scores.data()) == test.label(i)) {
                correct++;
            }
        }
        System.out.println(file + ": " + correct + " of " + test.count() + " correct");
        return correct;
    }

    /** The lowest index among equal maximum scores. */
    static int argmax(double[] scores) {
        int best = 0;
        for (int k = 1; k < scores.length; k++) {
            if (scores[k] > scores[best]) {
                best = k;
            }
        }
        return best;
    }
}
