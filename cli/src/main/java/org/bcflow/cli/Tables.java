package org.bcflow.cli;

import org.bcflow.rtlgen.BlockRam;
import org.bcflow.rtlgen.Design;

/** The console tables the commands print, shared by a stage's command and flow. */
final class Tables {
    private Tables() {
    }

    static String design(Design d) {
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
        return sb.toString();
    }
}
