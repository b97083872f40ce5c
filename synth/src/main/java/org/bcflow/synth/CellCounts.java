package org.bcflow.synth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bcflow.core.BcflowException;

/**
 * The cells of a synthesized design, as Yosys's {@code stat} prints them, and the usual resource
 * counts of one FPGA family read from them.
 *
 * @param family     ice40, xilinx or ecp5
 * @param cells      cell type -> count, from the last {@code stat} of the top module
 * @param luts       logic LUTs (iCE40 SB_LUT4, Xilinx LUT1..LUT6, ECP5 LUT4)
 * @param flipFlops  flip-flops of every kind
 * @param carries    carry-chain cells (SB_CARRY, CARRY4, CCU2C)
 * @param blockRams  block RAMs (SB_RAM40_4K; Xilinx in RAMB18 units, a RAMB36 counting 2; DP16KD)
 * @param dsps       hard multipliers (SB_MAC16, DSP48E1, MULT18X18D)
 * @param latches    latch cells (there should be none)
 */
public record CellCounts(String family, Map<String, Long> cells, long luts, long flipFlops, long carries, long blockRams,
        long dsps, long latches) {

    public CellCounts {
        cells = Collections.unmodifiableMap(new LinkedHashMap<>(cells));
    }

    private static final Pattern CELL_LINE = Pattern.compile("^\\s+(\\S+)\\s+(\\d+)\\s*$");

    /**
     * Reads the cell list of the last {@code === TOP ===} statistics block in a Yosys log, or, when
     * the design was left hierarchical (the top's list then counts submodule instances), the
     * totals of the {@code === design hierarchy ===} block after it.
     */
    static CellCounts parse(String family, String log, String top) {
        String marker = "=== " + top + " ===";
        int at = log.lastIndexOf(marker);
        if (at < 0) {
            throw new BcflowException("no statistics for module " + top + " in the Yosys log");
        }
        String hierarchy = "=== design hierarchy ===";
        int totals = log.indexOf(hierarchy, at);
        if (totals >= 0) {
            at = totals;
            marker = hierarchy;
        }
        Map<String, Long> cells = new LinkedHashMap<>();
        boolean inCells = false;
        for (String line : log.substring(at + marker.length()).split("\\R")) {
            if (line.contains("Number of cells:")) {
                inCells = true;
                continue;
            }
            if (!inCells) {
                continue;
            }
            Matcher m = CELL_LINE.matcher(line);
            if (!m.matches()) {
                if (line.isBlank() && cells.isEmpty()) {
                    continue;
                }
                break;
            }
            cells.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return of(family, cells);
    }

    static CellCounts of(String family, Map<String, Long> cells) {
        long luts = 0, ffs = 0, carries = 0, brams = 0, dsps = 0, latches = 0;
        for (Map.Entry<String, Long> e : cells.entrySet()) {
            String c = e.getKey();
            long n = e.getValue();
            if (c.contains("DLATCH") || c.startsWith("LD") && c.length() == 4 || c.equals("$dlatch")) {
                latches += n;
            }
            switch (family) {
                case "ice40" -> {
                    if (c.equals("SB_LUT4")) luts += n;
                    else if (c.startsWith("SB_DFF")) ffs += n;
                    else if (c.equals("SB_CARRY")) carries += n;
                    else if (c.startsWith("SB_RAM40_4K")) brams += n;
                    else if (c.equals("SB_MAC16")) dsps += n;
                }
                case "xilinx" -> {
                    if (c.matches("LUT[1-6](_2)?")) luts += n;
                    else if (c.matches("FD[RSCP]E(_1)?")) ffs += n;
                    else if (c.equals("CARRY4") || c.equals("CARRY8")) carries += n;
                    else if (c.startsWith("RAMB18")) brams += n;
                    else if (c.startsWith("RAMB36")) brams += 2 * n;
                    else if (c.startsWith("DSP48")) dsps += n;
                }
                case "ecp5" -> {
                    if (c.equals("LUT4")) luts += n;
                    else if (c.equals("TRELLIS_FF")) ffs += n;
                    else if (c.equals("CCU2C")) carries += n;
                    else if (c.equals("DP16KD") || c.equals("PDPW16KD")) brams += n;
                    else if (c.startsWith("MULT18X18")) dsps += n;
                }
                default -> throw new IllegalArgumentException("unknown family " + family);
            }
        }
        return new CellCounts(family, cells, luts, ffs, carries, brams, dsps, latches);
    }
}
