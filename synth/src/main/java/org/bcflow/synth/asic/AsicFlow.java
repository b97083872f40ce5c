package org.bcflow.synth.asic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bcflow.core.BcflowException;
import org.bcflow.core.tools.ExternalTool;
import org.bcflow.rtlgen.Design;
import org.bcflow.synth.Synthesizer;

/**
 * A generated design through qflow's open standard-cell flow: Yosys flattens it (ROM contents
 * become constants, which qflow's own per-file reading cannot do), qflow maps it to the
 * technology's cells with fanout buffering, and qflow's static timing analysis (vesta) gives the
 * critical path. The qflow project lives in {@code OUT/qflow}; each stage's output is kept in
 * {@code OUT/logs/STAGE.log}.
 */
public final class AsicFlow {
    public static final String PROJECT = "qflow";
    public static final String LOGS = "logs";
    private static final Pattern FMAX = Pattern.compile("Computed maximum clock frequency \\(zero margin\\) = ([0-9.]+) MHz");
    private static final Pattern PATH = Pattern.compile("^Path (\\S+) to (\\S+) delay ([0-9.]+) ps", Pattern.MULTILINE);

    /** Technology, the clock the design is meant for (MHz) and the time limit of each stage. */
    public record Options(Technology tech, double clockMhz, Duration stageTimeout) {
        public Options {
            if (!(clockMhz > 0)) {
                throw new IllegalArgumentException("clock must be positive: " + clockMhz);
            }
        }
    }

    private final Map<String, String> env;

    public AsicFlow() {
        this(System.getenv());
    }

    public AsicFlow(Map<String, String> env) {
        this.env = env;
    }

    /** qflow, or a one-line error naming the packages. */
    public Path qflow() {
        return ExternalTool.require(env, "QFLOW", "qflow", "qflow qflow-tech-osu018 qflow-tech-osu035 qflow-tech-osu050");
    }

    /** Synthesis and static timing of the design in {@code rtlDir}, with everything kept in {@code outDir}. */
    public AsicResult run(Path rtlDir, Path outDir, Options o) {
        Path rtl = rtlDir.toAbsolutePath().normalize();
        Path out = outDir.toAbsolutePath().normalize();
        Design design = Design.read(rtl);
        Path yosys = new Synthesizer(env).yosys();
        Path qflow = qflow();
        Synthesizer.checkFiles(rtl, design);
        CellLibrary lib = CellLibrary.read(o.tech());
        AsicEstimate estimate = AsicEstimate.of(design, rtl, lib);
        Path project = out.resolve(PROJECT);
        Path logs = out.resolve(LOGS);
        String top = design.top();
        try {
            for (String d : List.of("source", "synthesis", "layout", "log")) {
                Files.createDirectories(project.resolve(d));
            }
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new BcflowException("cannot create " + project + ": " + e.getMessage());
        }
        Map<String, Double> seconds = new LinkedHashMap<>();

        Path flat = project.resolve("source").resolve(top + ".v");
        Path script = logs.resolve("flatten.ys");
        write(script, flattenScript(rtl, design, flat));
        AsicStage flatten = new AsicStage("flatten", List.of(yosys.toString(), "-q", "-s", script.toString()), rtl,
                logs.resolve("flatten.log"), o.stageTimeout());
        seconds.put("flatten", flatten.run().seconds());
        if (!Files.isRegularFile(flat)) {
            throw flatten.failed("Yosys wrote no " + flat);
        }

        AsicStage synthesize = qflowStage("synthesize", qflow, o, project, logs, top);
        seconds.put("synthesize", synthesize.run().seconds());
        Path netlist = project.resolve("synthesis").resolve(top + ".rtlnopwr.v");
        if (!Files.isRegularFile(netlist)) {
            throw synthesize.failed("no mapped netlist " + netlist);
        }
        GateNetlist cells = GateNetlist.read(netlist, lib);

        AsicStage sta = qflowStage("sta", qflow, o, project, logs, top);
        AsicStage.Run timing = sta.run();
        seconds.put("sta", timing.seconds());
        Matcher f = FMAX.matcher(timing.output());
        if (!f.find()) {
            throw sta.failed("no maximum clock frequency in the static timing report");
        }
        double fmax = Double.parseDouble(f.group(1));
        Matcher p = PATH.matcher(timing.output());
        AsicResult.CriticalPath path = p.find()
                ? new AsicResult.CriticalPath(p.group(1), p.group(2), Double.parseDouble(p.group(3)) / 1000) : null;
        boolean holdMet = timing.output().contains("Design meets minimum hold timing");
        return new AsicResult(o.tech().name(), top, o.clockMhz(), cells, fmax, path, holdMet, design.intervalCycles(),
                design.latencyCycles(), netlist, seconds, estimate);
    }

    private static AsicStage qflowStage(String stage, Path qflow, Options o, Path project, Path logs, String top) {
        return new AsicStage(stage, List.of(qflow.toString(), stage, "-T", o.tech().name(), top), project,
                logs.resolve(stage + ".log"), o.stageTimeout());
    }

    /**
     * The design as one flat module: qflow reads each source file alone, so parameters and ROM
     * contents would not reach the cells; here they become constants, and the weights logic.
     */
    static String flattenScript(Path rtl, Design design, Path flat) {
        StringBuilder ys = new StringBuilder("# bcflow asic: the design flattened for qflow, run in ").append(rtl).append('\n');
        ys.append("read_verilog -defer");
        for (String v : design.verilogFiles()) {
            ys.append(' ').append(quote(rtl.resolve(v)));
        }
        ys.append('\n');
        ys.append("hierarchy -check -top ").append(design.top()).append('\n');
        ys.append("proc\n");
        ys.append("select -assert-none t:$dlatch t:$adlatch t:$dlatchsr\n");
        ys.append("flatten\n");
        ys.append("memory\n");
        // before the check: the memory pass leaves undriven read multiplexer inputs for the words past a
        // ROM's end (addresses the design never forms), which only opt -full removes
        ys.append("opt -full\n");
        // multi-bit wires used in part leave undriven bits that qflow's blif writer turns into dangling buffers
        ys.append("splitnets\n");
        ys.append("opt_clean -purge\n");

        ys.append("check -assert\n");
        ys.append("write_verilog -noattr ").append(quote(flat)).append('\n');
        return ys.toString();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new BcflowException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String quote(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
