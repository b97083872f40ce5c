package org.bcflow.synth.asic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bcflow.core.BcflowException;

/**
 * A standard-cell technology of qflow (Debian's {@code qflow-tech-NAME} packages): the Liberty
 * timing library, the LEF cell outlines and the Verilog models of its cells.
 */
public record Technology(String name, Path dir, String libraryFile, String modelsFile) {
    public static final Path QFLOW_TECH = Path.of("/usr/share/qflow/tech");
    /** The technologies bcflow knows; the OSU 0.50 µm files are named osu05_*. */
    public static final List<Technology> KNOWN = List.of(
            new Technology("osu018", QFLOW_TECH.resolve("osu018"), "osu018_stdcells.lib", "osu018_stdcells.v"),
            new Technology("osu035", QFLOW_TECH.resolve("osu035"), "osu035_stdcells.lib", "osu035_stdcells.v"),
            new Technology("osu050", QFLOW_TECH.resolve("osu050"), "osu05_stdcells.lib", "osu05_stdcells.v"));

    /** The technology called {@code name}, installed; else one line saying what is wrong. */
    public static Technology of(String name) {
        Technology t = KNOWN.stream().filter(k -> k.name.equals(name)).findFirst().orElseThrow(() -> new BcflowException(
                "unknown technology '" + name + "': give one of " + String.join(", ", KNOWN.stream().map(Technology::name).toList())));
        if (!Files.isRegularFile(t.library()) || !Files.isRegularFile(t.models())) {
            throw new BcflowException("technology " + name + " is not installed (" + t.library() + " missing): install it with"
                    + " apt-get install -y qflow qflow-tech-" + name + ", or run ./bcflow setup");
        }
        return t;
    }

    /** The Liberty file: cell functions, areas (µm²) and timing. */
    public Path library() {
        return dir.resolve(libraryFile);
    }

    /** The cells' Verilog models, for simulating a mapped netlist. */
    public Path models() {
        return dir.resolve(modelsFile);
    }

    /** The LEF file: each cell's outline, for placement. */
    public Path lef() {
        return dir.resolve(name + "_stdcells.lef");
    }
}
