package org.bcflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bcflow.core.Architecture;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults planted in the streaming units of a generated conv design (the copies of bc_swu.v,
 * bc_pool.v and bc_dense.v in its folder) must be caught, and located to the layer, pixel and
 * channel where hardware and reference first part ways; a fault that changes no value but the
 * timing must fail the cycle check.
 */
class ConvMutationTest {
    @TempDir
    Path tmp;

    private static final Path CACHE = Verifier.defaultCache().resolve("tests");
    // conv0 3x3 same padding on 1x8x8 (two line-buffer rows), a 2x2 pool, conv1 3x3 valid, the scores
    private final Network net = RandomNetwork.create(11, new FeatureMap(1, 8, 8), Architecture.parse("4C3-MP2-6C3v-5"),
            new int[] {8, 3, 2});
    private final Folding folding = new Folding(List.of(new LayerFolding(2, 3), new LayerFolding(3, 4), new LayerFolding(5, 6)));
    private final LabeledImages images = VerifierTest.images(6, 8, 8, 5);
    private Path rtl;

    @BeforeEach
    void generateAndPass() {
        VerilatorRequired.check();
        rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, folding, rtl);
        VerifyReport clean = verify();
        assertTrue(clean.passed(), () -> "the unmutated design must pass: " + clean.failures());
    }

    private VerifyReport verify() {
        return new Verifier(CACHE, Duration.ofMinutes(5)).verify(rtl, images, Verifier.Options.of(images.count()));
    }

    private void mutate(String file, String from, String to) throws IOException {
        Path f = rtl.resolve(file);
        String v = Files.readString(f);
        assertTrue(v.contains(from), file + " lacks: " + from);
        Files.writeString(f, v.replace(from, to));
    }

    private static void assertLocated(VerifyReport r, String layer, int y, int x) {
        assertTrue(r.mismatches() > 0, "planted fault not detected");
        VerifyReport.Divergence d = r.firstDivergence();
        assertNotNull(d);
        assertEquals(layer, d.layer(), d.describe());
        assertEquals(y, d.y(), d.describe());
        assertEquals(x, d.x(), d.describe());
        assertNotNull(d.channel(), d.describe());
        assertTrue(d.expected() != d.actual(), d.describe());
    }

    @Test
    void lineBufferRowsOffByOne() throws IOException {
        // the word written back keeps the oldest row instead of the one below it: two rows up is one row up
        mutate("bc_swu.v", "assign kept = {pixel, above[LBW-1:PIXW]};", "assign kept = {pixel, above[LBW-PIXW-1:0]};");
        VerifyReport r = verify();
        // the first window whose top row comes from the line buffer's oldest row: output row 1
        assertLocated(r, "conv0", 1, r.firstDivergence().x());
    }

    @Test
    void paddingPixelNotZero() throws IOException {
        mutate("bc_swu.v", "wire [PIXW-1:0] pixel = in_map ? in_data : {PIXW{1'b0}};",
                "wire [PIXW-1:0] pixel = in_map ? in_data : {{(PIXW-1){1'b0}}, 1'b1};");
        VerifyReport r = verify();
        assertTrue(r.mismatches() > 0, "a padding value of 1 not detected");
        assertEquals("conv0", r.firstDivergence().layer(), r.firstDivergence().describe());
        int y = r.firstDivergence().y();
        int x = r.firstDivergence().x();
        assertTrue(y == 0 || y == 7 || x == 0 || x == 7, "located at a border pixel: " + r.firstDivergence().describe());
    }

    @Test
    void poolComparesTheWrongPair() throws IOException {
        // the rows above compared with the window row's last pixel instead of that row's maximum
        mutate("bc_pool.v", "row_max[c*BITS +: BITS] > above[c*BITS +: BITS]", "in_data[c*BITS +: BITS] > above[c*BITS +: BITS]");
        VerifyReport r = verify();
        assertTrue(r.mismatches() > 0, "a pool comparing the wrong pair not detected");
        VerifyReport.Divergence d = r.firstDivergence();
        assertEquals("pool0", d.layer(), d.describe());
        assertNotNull(d.y(), d.describe());
    }

    /**
     * A window buffer that frees an input row too early (in the top rows of windows, where the next
     * row of windows starts on the same input row): the next images' pixels overwrite it. Only with
     * images following is the fault visible, so the pixel is located by running them all again.
     */
    @Test
    void windowBufferFreesARowTooEarly() throws IOException {
        Network rgb = RandomNetwork.create(1, new FeatureMap(3, 6, 6), Architecture.parse("4C3-5"), new int[] {8, 2});
        Path dir = tmp.resolve("rgb");
        new RtlGenerator("bcnet", 1).generate(rgb, new Folding(List.of(new LayerFolding(2, 1), new LayerFolding(5, 4))), dir);
        LabeledImages three = VerifierTest.images(3, 1, 108, 8);
        Verifier v = new Verifier(CACHE, Duration.ofMinutes(5));
        assertTrue(v.verify(dir, three, Verifier.Options.of(3)).passed(), "the unmutated design must pass");
        Path f = dir.resolve("bc_swu_buf.v");
        String text = Files.readString(f);
        String right = "first_row + (oy >= PAD ? first_col : {P_BITS{1'b0}})";
        assertTrue(text.contains(right));
        Files.writeString(f, text.replace(right, "first_row + first_col"));
        VerifyReport r = v.verify(dir, three, Verifier.Options.of(3));
        assertTrue(r.mismatches() > 0, "a buffer freeing a row too early not detected");
        VerifyReport.Divergence d = r.firstDivergence();
        assertEquals("conv0", d.layer(), d.describe());
        assertNotNull(d.y(), "located to a pixel: " + d.describe());
    }

    @Test
    void outputQueueOneEntryShort() throws IOException {
        // every value right, but a conv layer may hold one result fewer: slower, which only the cycle model sees
        mutate("bc_dense.v", "&& held != CAP[H_BITS-1:0];", "&& held != CAP[H_BITS-1:0] - 1'b1;");
        VerifyReport r = verify();
        assertEquals(0, r.mismatches(), "the queue changes no value");
        assertFalse(r.passed(), "a slower conv layer passed the cycle check");
        assertFalse(r.cycleCheck().problems().isEmpty());
    }
}
