package org.bcflow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.OutputFolder;

/** What the commands write and where: the names in an output folder, shared by a stage's command and flow. */
final class Outputs {
    static final String DEFAULT_OUT = "bcflow-out";
    static final String CHECKPOINT = "model.ckpt";
    static final String TRAIN_REPORT = "train.json";
    static final String NETWORK = "network.bcnet";
    static final String ROMS = "roms";
    static final String RTL = "rtl";
    static final String FLOW_REPORT = "report.json";
    static final String VERIFY_REPORT = "verify.json";
    /** Where the waveform of a failure goes, in the design folder. */
    static final String VERIFY_FAILURE = "verify-failure";
    /** The synthesis folder, inside the design folder. */
    static final String SYNTH = "synth";
    /** The ASIC flow's folder, inside the design folder. */
    static final String ASIC = "asic";
    static final String BENCH_REPORT = "bench.json";
    /** Reports about a design, which a new design in their folder makes stale. */
    static final Set<String> STALE_WITH_THE_DESIGN = Set.of("verify", "synth", "asic");

    static final Opt<Boolean> FORCE = Opt.flag("force", "replace outputs that bcflow did not write, or that another"
            + " command wrote (by default such files are never touched, and the run is refused)");

    private Outputs() {
    }

    /** A command's --out, with its own help and default. */
    static Opt<Path> out(String what, String fallback) {
        return new Opt<>("out", "DIR", Path.of(fallback), fallback, (option, text) -> Path.of(text), what);
    }

    static Opt<Path> out(String what) {
        return out(what, DEFAULT_OUT);
    }

    /**
     * The command's output folder, opened for one transaction (see {@link OutputFolder}).
     *
     * @param names      what the command writes there (null: the whole folder is its output)
     * @param supersedes commands whose outputs there this command's outputs make stale
     */
    static OutputFolder open(CommandLine line, Path dir, String command, List<String> names, Set<String> supersedes)
            throws ParseException {
        return OutputFolder.open(dir, command, names, supersedes, FORCE.get(line));
    }
}
