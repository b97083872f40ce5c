package org.bcflow.sim;

import java.util.List;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;

import java.nio.file.Path;
import java.time.Duration;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that cannot be verified are refused up front with one line, before any simulator runs. */
class VerifierInputsTest {
    @TempDir
    Path tmp;

    @Test
    void imageValuesWiderThanTheFirstLayerTakesAreRefused() {
        Network net = RandomNetwork.create(3, new int[] {64, 8, 10}, new int[] {1, 4});
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, Folding.forInputRate(net, List.of(1, 1), List.of(1, 1), 1), rtl);
        BcflowException e = assertThrows(BcflowException.class, () -> new Verifier(tmp.resolve("cache"),
                Duration.ofMinutes(1)).verify(rtl, VerifierTest.images(4, 8, 8, 1), 4));
        assertEquals("the test images hold values up to 255, but the network's first layer takes 1-bit inputs (0..1)",
                e.getMessage());
    }

    @Test
    void onlyTheImagesToBeVerifiedMustFit() {
        VerilatorRequired.check();
        Network net = RandomNetwork.create(3, new int[] {64, 8, 10}, new int[] {1, 4});
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, Folding.forInputRate(net, List.of(1, 1), List.of(1, 1), 1), rtl);
        // image 0 is all 0; image 1 all 255
        VerifyReport r = new Verifier(Verifier.defaultCache().resolve("tests"), Duration.ofMinutes(5))
                .verify(rtl, VerifierTest.images(4, 8, 8, 1), 1);
        assertTrue(r.passed(), r.failures().toString());
    }

    @Test
    void aDesignJsonThatDoesNotDescribeItsNetworkIsRefused() throws IOException {
        Network net = RandomNetwork.create(3, new int[] {64, 8, 10}, new int[] {8, 4});
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, Folding.forInputRate(net, List.of(2, 5), List.of(8, 4), 1), rtl);
        Path json = rtl.resolve(Design.FILE);
        String original = Files.readString(json);
        Files.writeString(json, original.replaceFirst("\"pe\" : 2", "\"pe\" : 3"));
        BcflowException e = assertThrows(BcflowException.class, () -> new Verifier(tmp.resolve("cache"),
                Duration.ofMinutes(1)).verify(rtl, VerifierTest.images(4, 8, 8, 1), 4));
        assertEquals(json + ": dense0 PE 3 and SIMD 8 do not divide its 8 outputs and 64 inputs", e.getMessage());

        Files.writeString(json, original.replaceFirst("\"outputs\" : 8", "\"outputs\" : 16"));
        e = assertThrows(BcflowException.class, () -> new Verifier(tmp.resolve("cache"),
                Duration.ofMinutes(1)).verify(rtl, VerifierTest.images(4, 8, 8, 1), 4));
        assertEquals(json + " does not describe its network: dense0 outputs 16, the network's 8", e.getMessage());
    }

    @Test
    void moreImagesThanTheTestSetHasAreRefused() {
        Network net = RandomNetwork.create(3, new int[] {64, 8, 10}, new int[] {8, 4});
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, Folding.forInputRate(net, List.of(2, 5), List.of(8, 4), 1), rtl);
        BcflowException e = assertThrows(BcflowException.class, () -> new Verifier(tmp.resolve("cache"),
                Duration.ofMinutes(1)).verify(rtl, VerifierTest.images(4, 8, 8, 1), 5));
        assertEquals("cannot verify 5 images: the test set has 4", e.getMessage());
        e = assertThrows(BcflowException.class, () -> new Verifier(tmp.resolve("cache"),
                Duration.ofMinutes(1)).verify(rtl, VerifierTest.images(4, 4, 4, 1), 4));
        assertEquals("the images are 1x4x4 (16 values), the network takes 64", e.getMessage());
    }
}
