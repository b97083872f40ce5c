package org.bcflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.InputBuffer;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every legal folding of two small layers (16 -> 6 -> 4) in Verilator: each PE x SIMD of the
 * first layer with the image in RAM and in registers, each PE x SIMD of the second; outputs,
 * layer taps, interval and latency must all match the reference and the cycle model, and the
 * outputs must not change under backpressure.
 */
class FoldingSweepTest {
    @TempDir
    Path tmp;

    private static final Path CACHE = Verifier.defaultCache().resolve("tests");
    private final Network net = RandomNetwork.create(11, new int[] {16, 6, 4}, new int[] {8, 3});
    private final LabeledImages images = VerifierTest.images(5, 4, 4, 13);

    @BeforeEach
    void needsVerilator() {
        VerilatorRequired.check();
    }

    @Test
    void everyFoldingOfTheFirstLayerInBothInputBuffers() {
        for (LayerFolding first : legal(net.layer(0).outputs(), net.layer(0).inputs())) {
            for (InputBuffer buffer : List.of(InputBuffer.RAM, InputBuffer.REGISTERS)) {
                check(new Folding(List.of(first, new LayerFolding(2, 3))), buffer);
            }
        }
    }

    @Test
    void everyFoldingOfTheSecondLayer() {
        for (LayerFolding second : legal(net.layer(1).outputs(), net.layer(1).inputs())) {
            check(new Folding(List.of(new LayerFolding(3, 4), second)), InputBuffer.AUTO);
        }
    }

    private void check(Folding folding, InputBuffer buffer) {
        String name = folding.toString().replace(',', '_') + "-" + buffer;
        Path rtl = tmp.resolve(name);
        new RtlGenerator("bcnet", 1).withInputBuffer(buffer).generate(net, folding, rtl);
        Verifier.Options o = Verifier.Options.of(images.count()).withBackpressure(250, 300, 3);
        VerifyReport r = new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images, o);
        assertEquals(0, r.mismatches(), name + ": " + r.firstMismatches());
        assertTrue(r.passed(), name + ": " + r.failures());
        assertEquals(images.count(), r.vectors(), name);
        assertEquals(r.cycles().cyclesPerImagePredicted(), r.cycles().cyclesPerImageMeasured(), name + " interval");
        assertEquals(r.cycles().intervalMin(), r.cycles().intervalMax(), name + " steady state is not steady");
        assertEquals(r.cycles().latencyPredicted(), r.cycles().latencyMeasured(), name + " latency");
        assertEquals(0, r.backpressure().mismatches(), name + " under backpressure");
        assertTrue(r.backpressure().sameOutputs(), name + " under backpressure");
    }

    /** Every PE dividing the outputs with every SIMD dividing the inputs. */
    private static List<LayerFolding> legal(int outputs, int inputs) {
        List<LayerFolding> out = new ArrayList<>();
        for (int pe = 1; pe <= outputs; pe++) {
            for (int simd = 1; simd <= inputs; simd++) {
                if (outputs % pe == 0 && inputs % simd == 0) {
                    out.add(new LayerFolding(pe, simd));
                }
            }
        }
        return out;
    }
}
