package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input quantizer and layers of explicit thresholds: semantics, file version 3, hash, refusals. */
class ImportedStagesTest {
    @TempDir
    Path dir;

    private static Network imported(long seed) {
        return RandomNetwork.withImportedStages(RandomNetwork.create(seed, new int[] {40, 12, 9, 5}, new int[] {2, 2, 1}), seed, 8);
    }

    @Test
    void theReferenceQuantizesTheInputAndCountsThresholds() {
        Network net = imported(3);
        assertTrue(net.layer(0).hasThresholds());
        assertTrue(!net.layer(1).hasThresholds());
        Reference ref = new Reference(net);
        SplittableRandom rnd = new SplittableRandom(9);
        InputQuantizer q = net.quantizer();
        long[][] t = net.layer(0).thresholds();
        for (int image = 0; image < 50; image++) {
            int[] x = new int[40];
            for (int j = 0; j < x.length; j++) {
                x[j] = rnd.nextInt(256);
            }
            Reference.Trace trace = ref.run(x);
            // by hand: codes, the first layer's accumulators, the count of thresholds each reaches
            long[] codes = new long[x.length];
            for (int j = 0; j < x.length; j++) {
                long c = 0;
                for (long tj : q.thresholds()) {
                    c += x[j] >= tj ? 1 : 0;
                }
                codes[j] = c;
            }
            DenseLayer l = net.layer(0);
            for (int n = 0; n < l.outputs(); n++) {
                long acc = 0;
                for (int j = 0; j < x.length; j++) {
                    acc += l.weights().isPlus(n, j) ? codes[j] : -codes[j];
                }
                assertEquals(acc, trace.accumulators()[0][n]);
                long out = 0;
                for (long tj : t[n]) {
                    out += acc >= tj ? 1 : 0;
                }
                assertEquals(out, trace.outputs()[0][n], "neuron " + n);
            }
        }
    }

    @Test
    void thresholdsOfAnExplicitLayerAreItsOwn() {
        Network net = imported(4);
        Thresholds.Neuron[] th = Thresholds.of(net.layer(0), net.layer(1).inputBits());
        for (int n = 0; n < th.length; n++) {
            assertArrayEquals(net.layer(0).thresholds(n), th[n].t());
            assertTrue(!th[n].negate());
        }
    }

    @Test
    void versionThreeRoundTripsWithItsHash() throws Exception {
        Network net = imported(5);
        Path f = dir.resolve("n.bcnet");
        NetworkFile.write(net, f);
        assertTrue(Files.readString(f).contains("\"version\" : 3"));
        Network back = NetworkFile.read(f);
        assertEquals(net.layers(), back.layers());
        assertEquals(net.quantizer(), back.quantizer());
        assertEquals(net.hash(), back.hash());
        // the stages are hashed: a quantizer threshold or a layer threshold moved by one changes it
        long[] q = net.quantizer().thresholds();
        q[0] = q[0] == 0 ? 1 : q[0] - 1;
        Network other = new Network(net.input(), net.stack(), Map.of(), new InputQuantizer(8, q));
        assertNotEquals(net.hash(), other.hash());
        long[][] t = net.layer(0).thresholds();
        t[0][0] = t[0][0] - 1;
        DenseLayer l = net.layer(0);
        assertNotEquals(net.hash(), net.withLayer(0, DenseLayer.withThresholds(l.name(), l.weights(), l.inputBits(), t)).hash());
    }

    @Test
    void aNetworkWithoutTheStagesKeepsItsVersionAndHash() throws Exception {
        Network plain = RandomNetwork.create(6, new int[] {40, 12, 5}, new int[] {2, 1});
        Path f = dir.resolve("p.bcnet");
        NetworkFile.write(plain, f);
        assertTrue(Files.readString(f).contains("\"version\" : 1"));
        assertTrue(!plain.needsVersion3());
    }

    @Test
    void badStagesAreRefused() {
        Network net = imported(7);
        DenseLayer l = net.layer(0);
        long[][] t = l.thresholds();
        long bound = (long) l.inputs() * l.maxInput();
        long[][] decreasing = l.thresholds();
        decreasing[0] = new long[] {5, 4, 6};
        long[][] beyond = l.thresholds();
        beyond[1][2] = bound + 2;
        long[][] tooFew = new long[t.length][];
        for (int n = 0; n < t.length; n++) {
            tooFew[n] = new long[] {t[n][0]};
        }
        assertTrue(message(() -> DenseLayer.withThresholds("d", l.weights(), 2, decreasing)).contains("decrease"));
        assertTrue(message(() -> DenseLayer.withThresholds("d", l.weights(), 2, beyond)).contains("outside"));
        assertTrue(message(() -> net.withLayer(0, DenseLayer.withThresholds(l.name(), l.weights(), l.inputBits(), tooFew)))
                .contains("need 3"));
        DenseLayer last = net.layer(2);
        long[][] lastT = new long[last.outputs()][];
        for (int n = 0; n < lastT.length; n++) {
            lastT[n] = new long[] {0};
        }
        assertTrue(message(() -> net.withLayer(2, DenseLayer.withThresholds(last.name(), last.weights(), last.inputBits(), lastT)))
                .contains("scores"));
        assertTrue(message(() -> new Network(net.input(), net.stack(), Map.of(), new InputQuantizer(8, new long[] {1})))
                .contains("need 3"));
        assertTrue(message(() -> new InputQuantizer(8, new long[] {1, 257, 3})).contains("outside"));
        assertTrue(message(() -> new InputQuantizer(8, new long[] {1, 3, 300})).contains("outside"));
        assertTrue(message(() -> new InputQuantizer(8, new long[] {9, 3, 10})).contains("decrease"));
    }

    @Test
    void aFileMixingThresholdsAndMultipliersIsRefusedInOneLine() throws Exception {
        Network net = imported(8);
        Path f = dir.resolve("n.bcnet");
        NetworkFile.write(net, f);
        String text = Files.readString(f).replaceFirst("\"thresholds\" : \\[ \\[", "\"shift\" : 0, \"thresholds\" : [ [");
        Files.writeString(f, text);
        BcflowException e = assertThrows(BcflowException.class, () -> NetworkFile.read(f));
        assertTrue(e.getMessage().contains("exclude each other"), e.getMessage());
        assertEquals(List.of(e.getMessage()), e.getMessage().lines().toList());
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }
}
