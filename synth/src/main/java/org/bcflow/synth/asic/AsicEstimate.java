package org.bcflow.synth.asic;

import java.nio.file.Path;
import org.bcflow.rtlgen.Design;
import org.bcflow.synth.ResourceModel;

/**
 * An analytic estimate of a design's standard cells, flip-flops and cell area, in milliseconds
 * instead of minutes of synthesis: for comparing foldings before a full run. It starts from what
 * the iCE40 resource model counts ({@link ResourceModel}: LUT4, carries, flip-flops) and adds what
 * a standard-cell chip does differently: it has no block RAM, so a memory the iCE40 design keeps
 * in block RAM becomes logic here, a ROM's bits constants feeding gates and a written memory's bits
 * flip-flops with their write enables and read multiplexers.
 *
 * <p>The coefficients are a fit, not a derivation: to qflow's mapping (osu018, after fanout
 * buffering) of the designs listed in docs/asic.md, where its error on designs it did not see is
 * given (within 20% there). Another technology scales the area by its cells' (the OSU libraries
 * are one layout at three feature sizes: every cell's area scales alike).
 *
 * @param cells      standard cells
 * @param flipFlops  flip-flops among them
 * @param areaUm2    their area, µm²
 */
public record AsicEstimate(long cells, long flipFlops, double areaUm2) {
    // Least squares (each design weighed by its relative error) over qflow's osu018 counts of 8
    // designs: random 64-32-10 at three foldings, 128-64-10 with thresholds and multiply-add,
    // 256-32-10 with the image in RAM and in registers, a trained 16-8-10; docs/asic.md gives
    // the designs, the fit's error on them and on three it did not see.
    /** Cells per iCE40 LUT4 outside the adder chains (LUT4 - 1.6 carries): control, multiplexers, ROMs in logic. */
    static final double CELLS_PER_NON_ADDER_LUT = 9.17;
    static final double CARRY_LUTS = 1.6;
    /** Cells per iCE40 flip-flop (the adders' and registers' share). */
    static final double CELLS_PER_FF = 1.61;
    /** Cells per bit of a written memory the iCE40 design keeps in block RAM: its flip-flop, enable and read multiplexer. */
    static final double CELLS_PER_RAM_BIT = 4.20;
    /**
     * Cells per bit of a ROM the iCE40 design keeps in block RAM: measured, not fitted (the 100 Kbit
     * weight ROM of a random 784-128-10 became 11,795 cells).
     */
    static final double CELLS_PER_ROM_BIT = 0.12;
    /** Flip-flops per iCE40 flip-flop and per written memory bit. */
    static final double FF_PER_FF = 0.62;
    static final double FF_PER_RAM_BIT = 1.31;
    /** Mean area of the cells that are not flip-flops, in NAND2X1 areas (30.3 µm² in osu018, over the 8 designs). */
    static final double LOGIC_CELL_AREA_IN_NAND2 = 1.26;

    public static AsicEstimate of(Design design, Path rtlDir, CellLibrary lib) {
        ResourceModel.Estimate ice40 = ResourceModel.estimate(design, rtlDir).get(0);
        long romBits = 0;
        long ramBits = 0;
        for (Design.Memory m : design.memories()) {
            if (m.blockRam()) {
                if (m.rom()) {
                    romBits += m.bits();
                } else {
                    ramBits += m.bits();
                }
            }
        }
        return of(ice40.luts(), ice40.carries(), ice40.flipFlops(), romBits, ramBits, lib.area("DFFPOSX1"), lib.area("NAND2X1"));
    }

    static AsicEstimate of(long luts, long carries, long flipFlops, long romBits, long ramBits, double dffArea, double nandArea) {
        double nonAdder = Math.max(0, luts - CARRY_LUTS * carries);
        long cells = Math.round(CELLS_PER_NON_ADDER_LUT * nonAdder + CELLS_PER_FF * flipFlops + CELLS_PER_RAM_BIT * ramBits
                + CELLS_PER_ROM_BIT * romBits);
        long ff = Math.min(cells, Math.round(FF_PER_FF * flipFlops + FF_PER_RAM_BIT * ramBits));
        return new AsicEstimate(cells, ff, ff * dffArea + (cells - ff) * LOGIC_CELL_AREA_IN_NAND2 * nandArea);
    }

    /** The estimate's error against a measurement, in percent of the measurement. */
    public static double errorPct(double estimate, double measured) {
        return measured == 0 ? 0 : 100 * (estimate - measured) / measured;
    }
}
