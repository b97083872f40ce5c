package org.bcflow.sim;

import java.util.List;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;

import java.nio.file.Path;
import java.time.Duration;
import org.bcflow.core.BitMatrix;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.Reference;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accumulators' worst case in every layer: with the all-255 image, every hidden neuron
 * saturates at its maximum output, so each layer sees all its inputs at their maximum; neuron 0 of
 * every layer has every weight +1 and neuron 1 every weight -1, so their accumulators reach
 * +inputs*max and -inputs*max exactly. The hardware, with accumulators only as wide as that bound
 * needs, must still agree with the reference bit for bit.
 */
class WorstCaseTest {
    @TempDir
    Path tmp;

    private static final Path CACHE = Verifier.defaultCache().resolve("tests");

    @BeforeEach
    void needsVerilator() {
        VerilatorRequired.check();
    }

    static Network saturating() {
        // 6-bit outputs of dense0 take the multiply-add, 3-bit outputs of dense1 the thresholds
        Network net = RandomNetwork.create(8, new int[] {64, 16, 8, 10}, new int[] {8, 6, 3});
        for (int i = 0; i < net.layers().size(); i++) {
            DenseLayer l = net.layer(i);
            BitMatrix.Builder w = new BitMatrix.Builder(l.outputs(), l.inputs());
            long[] mul = new long[l.outputs()];
            long[] add = new long[l.outputs()];
            for (int n = 0; n < l.outputs(); n++) {
                for (int j = 0; j < l.inputs(); j++) {
                    w.set(n, j, n != 1);  // neuron 1: every weight -1; the others every weight +1
                }
                mul[n] = n == 1 ? -1 : 1;  // so that every hidden neuron saturates high
            }
            net = net.withLayer(i, new DenseLayer(l.name(), w.build(), l.inputBits(), mul, add, 0));
        }
        return net;
    }

    @Test
    void everyLayerReachesItsAccumulatorBoundAndTheHardwareAgrees() {
        Network net = saturating();
        LabeledImages images = VerifierTest.images(3, 8, 8, 2);  // all 0, all 255, alternating
        Reference.Trace t = new Reference(net).run(images.image(1));
        for (int i = 0; i < net.layers().size(); i++) {
            long bound = (long) net.layer(i).inputs() * net.layer(i).maxInput();
            assertEquals(bound, t.accumulators()[i][0], "layer " + i + " neuron 0");
            assertEquals(-bound, t.accumulators()[i][1], "layer " + i + " neuron 1");
        }
        for (Folding f : new Folding[] {Folding.forInputRate(net, List.of(4, 2, 5), List.of(8, 4, 8), 1), Folding.forInputRate(net, List.of(16, 8, 10), List.of(1, 1, 1), 1)}) {
            Path rtl = tmp.resolve(f.toString().replace(',', '_'));
            new RtlGenerator("bcnet", 1).generate(net, f, rtl);
            VerifyReport r = new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images, images.count());
            assertEquals(0, r.mismatches(), f + ": " + r.firstMismatches());
            assertTrue(r.passed(), f + ": " + r.failures());
            assertEquals(images.count(), r.vectors());
        }
    }

    /** The bound is tight: one bit less in any layer's accumulator and the all-255 image breaks that layer. */
    @Test
    void oneBitLessInAnyLayerIsCaughtThere() throws IOException {
        Network net = saturating();
        LabeledImages images = VerifierTest.images(3, 8, 8, 2);
        Folding f = Folding.forInputRate(net, List.of(4, 2, 5), List.of(8, 4, 8), 1);
        for (int i = 0; i < net.layers().size(); i++) {
            Path rtl = tmp.resolve("narrow" + i);
            Design d = new RtlGenerator("bcnet", 1).generate(net, f, rtl);
            Path top = rtl.resolve("bcnet.v");
            String v = Files.readString(top);
            String layer = d.layers().get(i).name();
            int acc = d.layers().get(i).accBits();
            int at = v.indexOf(".ACC_BITS(" + acc + ")", v.indexOf("bc_dense #(", v.indexOf("wire [", v.indexOf(
                    i == 0 ? "pixels_data" : d.layers().get(i - 1).name() + "_data"))));
            Files.writeString(top, v.substring(0, at) + ".ACC_BITS(" + (acc - 1) + ")"
                    + v.substring(at + (".ACC_BITS(" + acc + ")").length()));
            VerifyReport r = new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images, images.count());
            assertTrue(r.mismatches() > 0, layer + ": narrowed accumulator not detected");
            assertEquals(layer, r.firstDivergence().layer(), r.firstDivergence().describe());
            assertEquals(1, r.firstDivergence().image(), r.firstDivergence().describe());
        }
    }
}
