package org.bcflow.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.RomImage;

/**
 * A resource estimate of a design for a Xilinx 7-series part, for designs too large for an iCE40
 * (the paper's CIFAR-10 network): derived from the iCE40 {@link ResourceModel}, not measured with a
 * Xilinx tool. Block RAM is counted exactly from the design's memories as RAMB18 halves (1Kx18,
 * 2Kx9, 4Kx4, 8Kx2, 16Kx1; two per RAMB36) for the memories the design puts in block RAM. LUTs:
 * the iCE40 model's LUT4 count times {@value #LUT6_PER_LUT4} (arithmetic maps one bit per LUT in
 * both families; wide multiplexers and ROMs in logic pack about twice as densely into LUT6).
 * Flip-flops as on the iCE40; multiply-add layers' multipliers as one DSP48 per lane.
 *
 * @param part      the smallest part of {@link #PARTS} it fits, or null when none
 */
public record SevenSeriesEstimate(long luts, long flipFlops, int ramb36, int dsp, String part) {

    /** An assumption, not a fit: see the class comment and docs/synthesis.md. */
    static final double LUT6_PER_LUT4 = 0.75;

    /** Parts, smallest first: name, LUTs, flip-flops, RAMB36, DSP48. */
    record Part(String name, long luts, long flipFlops, int ramb36, int dsp) {
    }

    static final List<Part> PARTS = List.of(
            new Part("xc7a35t", 20_800, 41_600, 50, 90),
            new Part("xc7a100t", 63_400, 126_800, 135, 240),
            new Part("xc7a200t", 134_600, 269_200, 365, 740),
            new Part("xc7vx485t", 303_600, 607_200, 1_030, 2_800),
            new Part("xc7vx690t", 433_200, 866_400, 1_470, 3_600));

    /** RAMB18 shapes: words x bits. */
    private static final int[][] RAMB18_SHAPES = {{1024, 18}, {2048, 9}, {4096, 4}, {8192, 2}, {16384, 1}};

    public static SevenSeriesEstimate of(Design design, List<RomImage> roms) {
        ResourceModel.Estimate ice40 = ResourceModel.estimate(design, roms).get(0);
        int halves = 0;
        for (Design.Memory m : design.memories()) {
            if (m.blockRam()) {
                halves += ramb18(m.depth(), m.width());
            }
        }
        int dsp = 0;
        for (Design.Layer l : design.layers()) {
            if (!l.thresholds()) {
                dsp += l.pe();
            }
        }
        long luts = Math.round(ice40.luts() * LUT6_PER_LUT4);
        int ramb36 = (halves + 1) / 2;
        String part = null;
        for (Part p : PARTS) {
            if (luts <= p.luts() && ice40.flipFlops() <= p.flipFlops() && ramb36 <= p.ramb36() && dsp <= p.dsp()) {
                part = p.name();
                break;
            }
        }
        return new SevenSeriesEstimate(luts, ice40.flipFlops(), ramb36, dsp, part);
    }

    /** RAMB18 blocks for depth x width in the cheapest shape. */
    static int ramb18(int depth, int width) {
        int best = Integer.MAX_VALUE;
        for (int[] s : RAMB18_SHAPES) {
            best = Math.min(best, ((width + s[1] - 1) / s[1]) * ((depth + s[0] - 1) / s[0]));
        }
        return best;
    }

    @JsonProperty("fits")
    public boolean fits() {
        return part != null;
    }

    /** One line: the figures and the smallest part that holds them. */
    public String describe() {
        return String.format("%,d LUT6, %,d flip-flops, %,d RAMB36, %d DSP48 -> %s (derived from the iCE40 model, not measured)",
                luts, flipFlops, ramb36, dsp, part == null ? "larger than the " + PARTS.get(PARTS.size() - 1).name()
                        : "fits a " + part);
    }
}
