package org.bcflow.synth.asic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bcflow.core.BcflowException;

/**
 * A flat, technology-mapped Verilog netlist (qflow's {@code TOP.rtlnopwr.v}): the library cells it
 * instantiates, counted by type, with their area and flip-flops.
 */
public record GateNetlist(Map<String, Integer> cells, long total, long flipFlops, double areaUm2) {
    /** An instance: {@code CELL NAME (} at the start of a line. */
    private static final Pattern INSTANCE = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s+\\\\?([^\\s(]+)\\s*\\(");

    public GateNetlist {
        cells = Collections.unmodifiableMap(new TreeMap<>(cells));
    }

    public static GateNetlist read(Path netlist, CellLibrary lib) {
        String text;
        try {
            text = Files.readString(netlist);
        } catch (IOException e) {
            throw new BcflowException("cannot read the netlist " + netlist + ": " + e.getMessage());
        }
        Map<String, Integer> cells = new TreeMap<>();
        for (String line : (Iterable<String>) text.lines()::iterator) {
            Matcher m = INSTANCE.matcher(line);
            if (m.find() && !m.group(1).equals("module") && lib.has(m.group(1))) {
                cells.merge(m.group(1), 1, Integer::sum);
            }
        }
        if (cells.isEmpty()) {
            throw new BcflowException(netlist + " instantiates no cell of the library: synthesis produced an empty netlist");
        }
        long total = 0;
        long ffs = 0;
        double area = 0;
        for (var e : cells.entrySet()) {
            total += e.getValue();
            ffs += lib.isSequential(e.getKey()) ? e.getValue() : 0;
            area += lib.area(e.getKey()) * e.getValue();
        }
        return new GateNetlist(cells, total, ffs, area);
    }
}
