package org.bcflow.synth.asic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bcflow.core.BcflowException;

/**
 * What bcflow needs to know about a technology's cells: each cell's area, from its outline in the
 * LEF file (what placement lays out; the Liberty {@code area} disagrees for some OSU cells), and
 * whether it stores state, from the Liberty file's {@code ff}/{@code latch} groups. Both files are
 * read by pattern, not parsed in full.
 */
public final class CellLibrary {
    private static final Pattern MACRO = Pattern.compile("(?m)^\\s*MACRO\\s+(\\S+)\\s*$");
    private static final Pattern SIZE = Pattern.compile("(?m)^\\s*SIZE\\s+([0-9.]+)\\s+BY\\s+([0-9.]+)\\s*;");
    private static final Pattern CELL = Pattern.compile("^\\s*cell\\s*\\(\\s*\"?([A-Za-z0-9_]+)\"?\\s*\\)");
    private static final Pattern STATE = Pattern.compile("^\\s*(ff|latch)\\s*\\(");

    private final Map<String, Double> areas;
    private final Set<String> sequential;

    private CellLibrary(Map<String, Double> areas, Set<String> sequential) {
        this.areas = Collections.unmodifiableMap(areas);
        this.sequential = Collections.unmodifiableSet(sequential);
    }

    public static CellLibrary read(Technology tech) {
        return new CellLibrary(outlines(tech.lef()), sequential(tech.library()));
    }

    /** Each MACRO's SIZE, width times height (µm²). */
    private static Map<String, Double> outlines(Path lef) {
        String text = read(lef);
        Map<String, Double> areas = new TreeMap<>();
        Matcher macro = MACRO.matcher(text);
        while (macro.find()) {
            int end = text.indexOf("END " + macro.group(1), macro.end());
            Matcher size = SIZE.matcher(text).region(macro.end(), end < 0 ? text.length() : end);
            if (size.find()) {
                areas.put(macro.group(1), Double.parseDouble(size.group(1)) * Double.parseDouble(size.group(2)));
            }
        }
        if (areas.isEmpty()) {
            throw new BcflowException(lef + " holds no MACRO with a SIZE: not a LEF cell library");
        }
        return areas;
    }

    private static Set<String> sequential(Path liberty) {
        Set<String> out = new TreeSet<>();
        String cell = null;
        for (String line : (Iterable<String>) read(liberty).lines()::iterator) {
            Matcher m = CELL.matcher(line);
            if (m.find()) {
                cell = m.group(1);
            } else if (cell != null && STATE.matcher(line).find()) {
                out.add(cell);
            }
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new BcflowException("cannot read the cell library " + file + ": " + e.getMessage());
        }
    }

    /** Cell name to outline area (µm²). */
    public Map<String, Double> areas() {
        return areas;
    }

    public boolean has(String cell) {
        return areas.containsKey(cell);
    }

    public double area(String cell) {
        Double a = areas.get(cell);
        if (a == null) {
            throw new BcflowException("cell " + cell + " is not in the library");
        }
        return a;
    }

    /** Whether the cell holds state (a flip-flop or a latch). */
    public boolean isSequential(String cell) {
        return sequential.contains(cell);
    }
}
