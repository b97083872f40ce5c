package org.bcflow.synth.asic;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the ASIC flow measured on one design: the mapped cells and their area, the critical path
 * from static timing, and what that means for throughput.
 *
 * @param technology     the cell library (osu018, ...)
 * @param clockMhz       the clock the design is meant for
 * @param cells          the mapped netlist's cells (after fanout buffering)
 * @param fmaxMhz        the highest clock static timing allows (zero margin)
 * @param criticalPath   the slowest register-to-register or input-to-register path
 * @param holdMet        whether static timing found no hold violation
 * @param intervalCycles cycles between images (the design's cycle model)
 * @param latencyCycles  cycles from an image's first beat to its class
 * @param netlist        the mapped netlist, without power pins
 * @param stageSeconds   wall time of each stage
 * @param estimate       the analytic estimate of the cells and area, made before synthesis
 */
public record AsicResult(String technology, String top, double clockMhz, GateNetlist cells, double fmaxMhz,
        CriticalPath criticalPath, boolean holdMet, long intervalCycles, long latencyCycles, Path netlist,
        Map<String, Double> stageSeconds, AsicEstimate estimate) {
    public static final String FILE = "asic.json";

    /** From {@code from} to {@code to}, {@code ns} long. */
    public record CriticalPath(String from, String to, double ns) {
    }

    public boolean meetsClock() {
        return fmaxMhz >= clockMhz && holdMet;
    }

    /** Images per second when clocked at the target, if timing allows it, else at Fmax. */
    public double imagesPerSecond() {
        return Math.min(clockMhz, fmaxMhz) * 1e6 / intervalCycles;
    }

    public double imagesPerSecondAtFmax() {
        return fmaxMhz * 1e6 / intervalCycles;
    }

    /** One line: does the design meet its clock, and what it costs. */
    public String verdict() {
        String timing = meetsClock() ? "meets " + fmt(clockMhz) + " MHz" : !holdMet ? "FAILS hold timing"
                : "misses " + fmt(clockMhz) + " MHz (Fmax " + fmt(fmaxMhz) + " MHz)";
        return technology + ": " + timing + "; " + String.format("%,d cells, %,.0f µm² of cells, %,.0f images/s at %s MHz",
                cells.total(), cells.areaUm2(), imagesPerSecond(), fmt(Math.min(clockMhz, fmaxMhz)));
    }

    private static String fmt(double mhz) {
        return mhz == Math.rint(mhz) ? String.format("%.0f", mhz) : String.format("%.1f", mhz);
    }
}
