package org.bcflow.synth.asic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The estimate against qflow's measured counts of designs the fit did not see (features from the iCE40 model, docs/asic.md). */
class AsicEstimateTest {
    private static final double DFF = 96;
    private static final double NAND2 = 24;

    private static void within(double pct, double estimate, double measured, String what) {
        double err = AsicEstimate.errorPct(estimate, measured);
        assertTrue(Math.abs(err) <= pct, what + ": " + estimate + " against " + measured + " (" + err + "%)");
    }

    @Test
    void designsTheFitDidNotSee() {
        // 96-48-24-10, PE 6,4,2 SIMD 12,8,4, image in registers: 28,873 cells, 4,476 flip-flops, 1,149,864 µm²
        AsicEstimate v1 = AsicEstimate.of(5262, 1899, 5012, 0, 0, DFF, NAND2);
        within(5, v1.cells(), 28_873, "96-48-24-10 cells");
        within(10, v1.areaUm2(), 1_149_864, "96-48-24-10 area");
        // the same, PE 2,2,1 SIMD 32,16,8, image in RAM, multiply-add: 35,492 cells
        within(15, AsicEstimate.of(5256, 1511, 3654, 0, 2048, DFF, NAND2).cells(), 35_492, "96-48-24-10 muladd cells");
        // the HX8K MNIST design, 784-128-10 PE 8,1 SIMD 8,1: 122,037 cells, 19,442 flip-flops, 4,966,192 µm²
        AsicEstimate hx = AsicEstimate.of(4585, 1922, 3455, 100_352, 16_384, DFF, NAND2);
        within(20, hx.cells(), 122_037, "HX8K MLP cells");
        within(25, hx.flipFlops(), 19_442, "HX8K MLP flip-flops");
        within(20, hx.areaUm2(), 4_966_192, "HX8K MLP area");
    }

    @Test
    void areaScalesWithTheLibrarysCells() {
        AsicEstimate a = AsicEstimate.of(5262, 1899, 5012, 0, 0, DFF, NAND2);
        AsicEstimate b = AsicEstimate.of(5262, 1899, 5012, 0, 0, 4 * DFF, 4 * NAND2);  // osu035: every cell 4x
        assertEquals(a.cells(), b.cells());
        assertEquals(4 * a.areaUm2(), b.areaUm2(), 1e-6);
    }
}
