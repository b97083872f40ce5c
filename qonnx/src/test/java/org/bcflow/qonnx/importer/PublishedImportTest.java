package org.bcflow.qonnx.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bcflow.core.DenseLayer;
import org.bcflow.core.Network;
import org.bcflow.core.data.Datasets;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.qonnx.SharedFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The published Brevitas TFC models imported and checked on all 10,000 MNIST test images: every
 * class and every quantized activation of the model, run in double, against the integer network;
 * the accuracy is the publisher's on-board figure (1W1A) and the exact evaluation's (1W2A).
 */
class PublishedImportTest {
    @ParameterizedTest
    @CsvSource({"TFC_1W1A.onnx, 9296, 1, 128", "TFC_1W2A.onnx, 9474, 2, -1"})
    void theTfcModelsImportExactly(String file, int correct, int codeBits, int firstThreshold) {
        ImportedNetwork imp = QonnxImporter.read(SharedFiles.tfcModels().resolve(file));
        Network net = imp.network();
        imp.steps().forEach(System.out::println);
        assertEquals("784-64-64-64-10, " + codeBits + "/" + codeBits + "/" + codeBits + "/" + codeBits
                + "-bit layer inputs, 8-bit input by thresholds", net.describe());
        assertNotNull(net.quantizer());
        if (firstThreshold > 0) {
            assertEquals(firstThreshold, net.quantizer().thresholds()[0]);
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(net.layer(i).hasThresholds(), "hidden layer " + i);
        }
        DenseLayer last = net.layer(3);
        assertTrue(!last.hasThresholds());
        LabeledImages test = Datasets.load("mnist", SharedFiles.mnist()).test();
        ImportCheck.Result r = ImportCheck.run(imp, test);
        System.out.println(r);
        assertEquals(10_000, r.images());
        assertEquals(0, r.classDisagreements(), r.firstDisagreement());
        assertEquals(0, r.activationDisagreements(), r.firstDisagreement());
        assertEquals(10_000L * (784 + 3 * 64), r.activationsCompared());
        assertEquals(correct, r.networkCorrect());
        assertEquals(correct, r.modelCorrect());
    }
}
