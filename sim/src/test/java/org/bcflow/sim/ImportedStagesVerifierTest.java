package org.bcflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.Architecture;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Networks with an input quantizer (bc_inquant on the input stream) and layers of explicit
 * thresholds, as imported models have them, in Verilator: values, classes and cycles against the
 * reference; a fault in either stage is caught.
 */
class ImportedStagesVerifierTest {
    @TempDir
    Path tmp;

    private static final Path CACHE = Verifier.defaultCache().resolve("tests");

    @BeforeEach
    void needsVerilator() {
        VerilatorRequired.check();
    }

    private static Folding folding(int... peSimd) {
        List<LayerFolding> list = new ArrayList<>();
        for (int i = 0; i < peSimd.length; i += 2) {
            list.add(new LayerFolding(peSimd[i], peSimd[i + 1]));
        }
        return new Folding(list);
    }

    private static Network mlp() {
        return RandomNetwork.withImportedStages(RandomNetwork.create(21, new int[] {64, 16, 12, 10}, new int[] {2, 2, 1}), 21, 8);
    }

    private void assertExact(VerifyReport r) {
        assertEquals(0, r.mismatches(), () -> String.valueOf(r.firstMismatches()));
        assertTrue(r.passed(), () -> r.failures().toString());
        assertEquals(r.cycles().cyclesPerImagePredicted(), r.cycles().cyclesPerImageMeasured());
        assertEquals(r.cycles().latencyPredicted(), r.cycles().latencyMeasured());
    }

    @Test
    void anMlpWithTheStagesMatchesTheReferenceInRegistersInRamAndTwoValuesPerBeat() {
        Network net = mlp();
        Verifier v = new Verifier(CACHE, Duration.ofMinutes(5));
        Path registers = tmp.resolve("registers");
        new RtlGenerator("bcnet", 1).generate(net, folding(4, 64, 2, 4, 5, 6), registers);
        assertExact(v.verify(registers, VerifierTest.images(16, 8, 8, 3), 16));
        Path ram = tmp.resolve("ram");
        new RtlGenerator("bcnet", 2).generate(net, folding(4, 4, 2, 4, 5, 6), ram);
        assertTrue(Design.read(ram).ramInput());
        assertExact(v.verify(ram, VerifierTest.images(16, 8, 8, 4),
                Verifier.Options.of(16).withJobs(2).withBackpressure(300, 300, 5)));
    }

    @Test
    void aConvNetworkWithTheStagesMatchesTheReference() {
        Network net = RandomNetwork.withImportedStages(RandomNetwork.create(22, new FeatureMap(1, 8, 8),
                Architecture.parse("4C3-MP2-6C3v-5"), new int[] {2, 2, 1}), 22, 8);
        Path rtl = tmp.resolve("conv");
        new RtlGenerator("bcnet", 1).generate(net, folding(2, 3, 3, 4, 5, 6), rtl);
        assertExact(new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, VerifierTest.images(8, 8, 8, 5),
                Verifier.Options.of(8).withBackpressure(200, 200, 3)));
    }

    @Test
    void aFaultInTheQuantizerOrInTheThresholdsIsCaught() throws IOException {
        Network net = mlp();
        Folding f = folding(4, 64, 2, 4, 5, 6);
        Verifier v = new Verifier(CACHE, Duration.ofMinutes(5));
        // the quantizer's first threshold one higher in the top's parameters
        Path quantizer = tmp.resolve("quantizer");
        Design d = new RtlGenerator("bcnet", 1).generate(net, f, quantizer);
        Path top = quantizer.resolve(d.top() + ".v");
        long t1 = net.quantizer().thresholds()[0];
        String text = Files.readString(top);
        String lowest = "9'd" + t1 + "})";
        assertTrue(text.contains(lowest), text);
        Files.writeString(top, text.replace(lowest, "9'd" + (t1 + 1) + "})"));
        VerifyReport q = v.verify(quantizer, VerifierTest.images(40, 8, 8, 6), 40);
        assertFalse(q.passed());
        assertTrue(q.mismatches() > 0);
        // every explicit threshold one higher in the ROMs
        Path thresholds = tmp.resolve("thresholds");
        Design d2 = new RtlGenerator("bcnet", 1).generate(net, f, thresholds);
        PlantedFaults.SHIFT_ONE_TOO_LARGE.plant(net, d2, thresholds);
        VerifyReport t = v.verify(thresholds, VerifierTest.images(40, 8, 8, 6), 40);
        assertFalse(t.passed());
    }
}
