package org.bcflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierSmokeTest {
    @TempDir
    Path tmp;

    @Test
    void randomNetworkMatchesReference() {
        Network net = RandomNetwork.create(7, new int[] {64, 16, 8, 10}, new int[] {8, 4, 4});
        Folding f = new Folding(List.of(new LayerFolding(4, 8), new LayerFolding(2, 4), new LayerFolding(5, 8)));
        new RtlGenerator("bcnet", 1).generate(net, f, tmp.resolve("rtl"));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        int n = 30;
        byte[] px = new byte[n * 64];
        for (int i = 0; i < px.length; i++) px[i] = (byte) rnd.nextInt(256);
        LabeledImages images = new LabeledImages(n, 8, 8, px, new byte[n], 10);
        VerifyReport r = new Verifier(tmp.resolve("cache"), Duration.ofMinutes(5)).verify(tmp.resolve("rtl"), images, n);
        System.out.println(r);
        assertEquals(0, r.mismatches());
        assertEquals(r.cyclesPerImagePredicted(), r.cyclesPerImageMeasured());
        assertEquals(r.latencyPredicted(), r.latencyMeasured());
    }
}
