package org.bcflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.Architecture;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conv networks in Verilator: every pixel of every layer, the classes and every cycle against the reference and the stream model. */
class ConvVerifierTest {
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

    private VerifyReport verify(Network net, Folding folding, int count, Verifier.Options options) {
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, folding, rtl);
        return new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, VerifierTest.images(count, 8, 8, 5), options);
    }

    @Test
    void convPoolDenseMatchesTheReferenceToTheCycle() {
        Network net = RandomNetwork.create(11, new FeatureMap(1, 8, 8), Architecture.parse("4C3-MP2-6C3v-5"), new int[] {8, 3, 2});
        VerifyReport r = verify(net, folding(2, 3, 3, 4, 5, 6), 12, Verifier.Options.of(12).withJobs(2).withBackpressure(300, 300, 5));
        assertEquals(0, r.mismatches(), () -> String.valueOf(r.firstDivergence()));
        assertTrue(r.cycleCheck().problems().isEmpty(), () -> String.valueOf(r.cycleCheck().problems()));
        assertEquals(0, r.backpressure().mismatches());
    }
}
