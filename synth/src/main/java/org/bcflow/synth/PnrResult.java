package org.bcflow.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What nextpnr-ice40 reported: utilisation, the post-route maximum frequency and the critical path.
 *
 * @param logicCells          ICESTORM_LC used (-1 when nextpnr did not get that far)
 * @param logicCellsAvailable ICESTORM_LC on the device
 * @param blockRams           ICESTORM_RAM used
 * @param fmaxMhz             post-route maximum frequency of the clock, NaN when unknown
 * @param criticalPath        the critical path report, one line per element, "Info: " stripped
 * @param error               the first "ERROR:" line, or null
 */
public record PnrResult(int logicCells, int logicCellsAvailable, int blockRams, double fmaxMhz,
        List<String> criticalPath, String error) {

    public PnrResult {
        criticalPath = List.copyOf(criticalPath);
    }

    private static final Pattern LC = Pattern.compile("ICESTORM_LC:\\s+(\\d+)/\\s*(\\d+)");
    private static final Pattern RAM = Pattern.compile("ICESTORM_RAM:\\s+(\\d+)/\\s*(\\d+)");
    private static final Pattern FMAX = Pattern.compile("Max frequency for clock\\s+'[^']*':\\s+([0-9.]+) MHz");
    private static final Pattern PATH_END = Pattern.compile("^\\s*[0-9.]+ ns logic, [0-9.]+ ns routing.*");

    static PnrResult parse(String log) {
        int lc = -1, lcAvail = -1, ram = -1;
        double fmax = Double.NaN;
        String error = null;
        List<String> path = new ArrayList<>();
        List<String> current = null;
        for (String raw : log.split("\\R")) {
            String line = raw.startsWith("Info:") ? raw.substring(5) : raw;
            Matcher m;
            if ((m = LC.matcher(line)).find()) {
                lc = Integer.parseInt(m.group(1));
                lcAvail = Integer.parseInt(m.group(2));
            }
            if ((m = RAM.matcher(line)).find()) {
                ram = Integer.parseInt(m.group(1));
            }
            if ((m = FMAX.matcher(line)).find()) {
                fmax = Double.parseDouble(m.group(1)); // the last one is the post-route figure
            }
            if (error == null && raw.startsWith("ERROR:")) {
                error = raw.substring(6).trim();
            }
            if (line.contains("Critical path report for clock")) {
                current = new ArrayList<>();
                continue;
            }
            if (current != null) {
                if (line.isBlank() || PATH_END.matcher(line).matches()) {
                    if (!line.isBlank()) {
                        current.add(line.trim());
                    }
                    path = current;
                    current = null;
                } else {
                    current.add(line.strip());
                }
            }
        }
        return new PnrResult(lc, lcAvail, ram, fmax, path, error);
    }

    /** The first source and the last sink of the critical path, e.g. "u_dense0.acc_SB_DFF_Q.O -> ...". */
    public String criticalPathSummary() {
        String from = null, to = null;
        for (String l : criticalPath) {
            String s = l.replaceFirst("^[0-9.]+\\s+[0-9.]+\\s+", "");
            if (from == null && s.startsWith("Source ")) {
                from = s.substring(7).trim();
            }
            if (s.startsWith("Sink ")) {
                to = s.substring(5).trim();
            }
        }
        return from == null ? "" : from + " -> " + to;
    }
}
