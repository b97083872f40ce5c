package org.bcflow.cli;

import org.bcflow.rtlgen.BlockRam;
import org.bcflow.rtlgen.Design;

/** The console tables the commands print, shared by a stage's command and flow. */
final class Tables {
    private Tables() {
    }

    /** The design's layers, memories, cycles, and the analytic resource estimates (iCE40, and a Xilinx 7-series part). */
    static String design(Design d, org.bcflow.core.Network net) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  %-8s %12s %9s %8s%n", "layer", "in x out", "PE x SIMD", "cycles"));
        for (Design.Layer l : d.layers()) {
            sb.append(String.format("  %-8s %12s %9s %8d%n", l.name(), l.inputs() + "x" + l.outputs(), l.pe() + "x" + l.simd(),
                    l.cycles()));
        }
        sb.append(String.format("  %-28s %12s %-10s %6s %5s%n", "memory", "words x bits", "in", "blocks", "fill"));
        for (Design.Memory m : d.memories()) {
            sb.append(String.format("  %-28s %12s %-10s %6d %5.0f%%%n", m.name(), m.depth() + "x" + m.width(),
                    m.blockRam() ? "block RAM" : "logic", m.ice40Blocks(), 100 * m.fill()));
        }
        sb.append(String.format("  block RAM: %d iCE40 blocks (4 Kbit); memories under %.0f%% fill go into logic%n",
                d.ice40Blocks(), 100 * BlockRam.MIN_FILL));
        sb.append(String.format("  predicted: %d cycles per image, latency %d cycles%n", d.intervalCycles(), d.latencyCycles()));
        var roms = org.bcflow.rtlgen.RtlGenerator.roms(net, d);
        var ice40 = org.bcflow.synth.ResourceModel.estimate(d, roms).get(0);
        sb.append(String.format("  estimate: iCE40 %,d logic cells (%,d LUT4, %,d flip-flops), %d block RAMs; 7-series %s%n",
                ice40.logicCells(), ice40.luts(), ice40.flipFlops(), ice40.blockRams(),
                org.bcflow.synth.SevenSeriesEstimate.of(d, roms).describe()));
        return sb.toString();
    }
}
