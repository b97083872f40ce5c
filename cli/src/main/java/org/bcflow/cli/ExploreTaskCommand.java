package org.bcflow.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.Json;

/**
 * {@code bcflow explore-task}: one point of an exploration, in a process of its own: what
 * {@code explore} runs per point, locally or as a Slurm array task. It reads the point from the
 * sweep's plan, runs {@code flow --model} on the point's trained model into {@code DIR/points/ID}
 * and writes {@code DIR/results/ID.json}: ok, no-fit, mismatch or failed with flow's one-line error (a
 * result, exit 0: a failed point does not stop the sweep), and the node's tool versions. A node
 * without Verilator, Yosys or nextpnr fails the task in one line, exit 2.
 */
final class ExploreTaskCommand implements Command {
    static final Opt<String> POINT = Opt.computed("point", "ID", null, Parse.text(), "the point of the plan to run (required)");
    private static final Opt<Path> OUT = Outputs.out("the sweep's folder (explore --out), where plan.json is");
    static final List<String> TOOLS = List.of("verilator", "yosys", "nextpnr-ice40");

    /**
     * What became of a point: ok, no-fit (no folding fits the device by the resource model: a
     * finding, not a failure), mismatch (the hardware disagreed with the reference) or failed;
     * flow's exit code and error.
     */
    record Result(String point, String status, int exit, String error, Map<String, String> tools) {
        static final String OK = "ok";
        static final String NO_FIT = "no-fit";
        static final String MISMATCH = "mismatch";
        static final String FAILED = "failed";
    }

    @Override
    public String name() {
        return "explore-task";
    }

    @Override
    public String summary() {
        return "one point of an exploration, as explore runs it (locally or as a Slurm array task); writes OUT/results/ID.json";
    }

    @Override
    public List<Opt<?>> options() {
        return List.of(POINT, OUT);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path dir = OUT.get(line);
        String id = POINT.get(line);
        if (id == null) {
            throw new org.apache.commons.cli.ParseException("give --point ID");
        }
        ExploreSpace.Plan plan = ExploreCommand.readPlan(dir);
        ExploreSpace.Point point = plan.point(id);
        Map<String, String> tools = org.bcflow.cluster.ToolVersions.probe(TOOLS);
        List<String> args = new ArrayList<>(List.of("flow", "--" + InputOptions.MODEL.name(),
                ExploreCommand.modelFile(dir, point.model()).toString(), "--" + InputOptions.DATA.name()));
        args.addAll(plan.dataArgs());
        args.addAll(List.of("--out", ExploreCommand.pointDir(dir, id).toString(), "--" + SynthOptions.SYNTH.name(),
                "--" + VerifyOptions.JOBS.name(), "1"));  // one simulator process per point: the executor runs points side by side
        if (plan.count() != null) {
            args.addAll(List.of("--" + VerifyOptions.COUNT.name(), plan.count().toString()));
        }
        args.addAll(point.hardwareArgs());
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Main.Ending ending = Main.execute(args.toArray(String[]::new),
                new PrintStream(new Tee(System.err, captured), true, StandardCharsets.UTF_8));
        int exit = ending.exitCode();
        String error = null;
        String status = exit == 0 ? Result.OK : exit == 1 ? Result.MISMATCH
                : ending.failure() instanceof org.bcflow.synth.DeviceFit.NothingFits ? Result.NO_FIT : Result.FAILED;
        if (exit != 0) {
            error = captured.toString(StandardCharsets.UTF_8).strip().lines().filter(l -> !l.isBlank()).findFirst()
                    .orElse(exit == 1 ? "the hardware disagrees with the reference (see the point's report.json)" : "exit " + exit);
        }
        AtomicFiles.writeString(ExploreCommand.resultFile(dir, id), Json.text(new Result(id, status, exit, error, tools)));
        System.out.println("point " + id + " (" + point.label() + "): " + status + (error == null ? "" : ": " + error));
        return 0;
    }

    /** Writes to the console and keeps a copy, so the task's log has flow's errors and the result has its first line. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
        }
    }
}
