package org.bcflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.commons.cli.CommandLine;
import org.bcflow.cluster.Executor;
import org.bcflow.cluster.Outcome;
import org.bcflow.cluster.Task;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Json;
import org.bcflow.core.OutputFolder;

/**
 * {@code bcflow explore}: every point of a space (see {@link ExploreSpace}) trained, exported,
 * generated, verified and placed and routed, as tasks of an executor (this machine, or Slurm job
 * arrays), then one table, a Pareto front and its chart.
 *
 * <p>The sweep's folder holds its state, so that a rerun skips what is finished: {@code plan.json}
 * (the points), {@code models/KEY/} (train's output for each distinct training configuration, shared
 * by the points that differ only in hardware), {@code points/ID/} (flow's output for each point),
 * {@code results/ID.json} (what became of it) and {@code tasks/} (the executor's scripts and logs).
 * explore.csv, pareto.json and pareto.png are written at the end, as one transaction. A point that
 * failed is recorded with its error and tried again by the next run.
 */
final class ExploreCommand implements Command {
    private static final Opt<Path> SPACE = Opt.computed("space", "FILE", null, (option, text) -> Path.of(text),
            "the space to sweep: JSON or YAML, values per axis (required; docs/explore.md)");
    private static final Opt<Path> OUT = Outputs.out("the sweep's folder: points, models, explore.csv, pareto.json, pareto.png",
            "bcflow-explore");
    static final String CSV = "explore.csv";
    static final String PARETO_JSON = "pareto.json";
    static final String PARETO_PNG = "pareto.png";
    static final String PLAN = "plan.json";
    /** Marks a folder whose state (plan, models, points, results, tasks) explore made, so that a rerun may use it. */
    static final String MARKER = ".bcflow-explore";
    private static final List<String> STATE = List.of(PLAN, "models", "points", "results", "tasks");

    @Override
    public String name() {
        return "explore";
    }

    @Override
    public String summary() {
        return "sweep a design space (networks, widths, batch norm, foldings, devices): every point trained, verified and"
                + " placed and routed; explore.csv, pareto.png";
    }

    @Override
    public List<Opt<?>> options() {
        List<Opt<?>> o = new ArrayList<>(List.of(SPACE, OUT, Outputs.FORCE, VerifyOptions.COUNT, VerifyOptions.JOBS));
        o.addAll(ExecutorOptions.ALL);
        return o;
    }

    static Path modelDir(Path dir, String model) {
        return dir.resolve("models").resolve(model);
    }

    static Path modelFile(Path dir, String model) {
        return modelDir(dir, model).resolve(Outputs.CHECKPOINT);
    }

    static Path pointDir(Path dir, String id) {
        return dir.resolve("points").resolve(id);
    }

    static Path resultFile(Path dir, String id) {
        return dir.resolve("results").resolve(id + ".json");
    }

    static ExploreSpace.Plan readPlan(Path dir) {
        Path file = dir.resolve(PLAN);
        try {
            return Json.MAPPER.readValue(file.toFile(), ExploreSpace.Plan.class);
        } catch (IOException e) {
            throw new BcflowException("cannot read the sweep's plan " + file + ": " + e.getMessage());
        }
    }

    @Override
    public int run(CommandLine line) throws Exception {
        ExecutorOptions.check(line);
        Path spaceFile = SPACE.get(line);
        if (spaceFile == null) {
            throw new org.apache.commons.cli.ParseException("give --space FILE (the axes to sweep; docs/explore.md)");
        }
        ExploreSpace.Plan plan = ExploreSpace.read(spaceFile, VerifyOptions.COUNT.given(line) ? VerifyOptions.COUNT.get(line) : null);
        boolean slurm = ExecutorOptions.slurm(line);
        if (!slurm) {  // a missing tool is said here, before hours of training; Slurm's nodes check their own
            org.bcflow.sim.Verilator.locate();
            new org.bcflow.synth.Synthesizer().yosys();
            new org.bcflow.synth.Synthesizer().nextpnr();
        }
        int jobs = VerifyOptions.JOBS.get(line, Runtime.getRuntime().availableProcessors());
        Executor executor = ExecutorOptions.executor(line, jobs);
        Path dir = OUT.get(line).toAbsolutePath().normalize();  // tasks on other nodes read the same path
        try (OutputFolder out = Outputs.open(line, dir, name(), List.of(CSV, PARETO_JSON, PARETO_PNG), Set.of())) {
            boolean fresh = claimState(dir, Outputs.FORCE.get(line));
            Stages.say("explore", plan.points().size() + " points, " + plan.models().size() + " models to train, on "
                    + executor.describe() + "; state in " + dir);
            Map<String, String> trainErrors;
            List<Outcome> outcomes;
            try {
                AtomicFiles.writeString(dir.resolve(PLAN), Json.text(plan));
                for (String id : plan.points().stream().map(ExploreSpace.Point::id).toList()) {
                    forgetFailure(dir, id);
                }
                trainErrors = train(plan, dir, executor);
                outcomes = points(plan, dir, executor, trainErrors == null ? Map.of() : trainErrors);
                if (trainErrors == null || outcomes == null) {  // a dry run: the scripts are printed, nothing ran
                    forget(dir, fresh);
                    return 0;
                }
            } catch (RuntimeException e) {
                forget(dir, fresh);  // e.g. Slurm unreachable, sbatch refusing: nothing ran
                throw e;
            }
            ExploreResults results = ExploreResults.gather(plan, dir, outcomes, trainErrors);
            Stages.say("explore", "tools on the nodes: " + String.join("; ", results.tools()));
            results.write(out::stage);
            out.commit();
            System.out.print(results.table());
            System.out.println("results: " + dir.resolve(CSV) + ", " + dir.resolve(PARETO_PNG) + ", " + dir.resolve(PARETO_JSON));
            return results.exitCode();
        }
    }

    /**
     * Makes sure the state names in {@code dir} are explore's: a folder without them, or one an
     * earlier explore marked; anything else is refused unless --force. True when this run marked it.
     */
    private static boolean claimState(Path dir, boolean force) {
        if (Files.exists(dir.resolve(MARKER))) {
            return false;
        }
        for (String name : STATE) {
            if (Files.exists(dir.resolve(name)) && !force) {
                throw new BcflowException(dir.resolve(name) + " exists and explore did not make it: give another --out,"
                        + " or --force to let explore use it");
            }
        }
        AtomicFiles.writeString(dir.resolve(MARKER), "bcflow explore keeps a sweep's state in this folder\n");
        return true;
    }

    /** Removes the state this run made before anything ran, so that the folder is as it was. */
    private static void forget(Path dir, boolean fresh) {
        if (fresh) {
            for (String name : List.of(MARKER, PLAN, "tasks", "results")) {
                AtomicFiles.deleteTree(dir.resolve(name));
            }
        }
    }

    /**
     * A failed point is run again: its result goes, the point's folder stays (flow replaces its own
     * outputs). The other outcomes are findings about the design and stay.
     */
    private static void forgetFailure(Path dir, String id) {
        Path result = resultFile(dir, id);
        if (Files.exists(result)) {
            try {
                var r = Json.MAPPER.readValue(result.toFile(), ExploreTaskCommand.Result.class);
                if (r.status().equals(ExploreTaskCommand.Result.FAILED)) {
                    Files.delete(result);
                }
            } catch (IOException e) {
                AtomicFiles.deleteTree(result);  // unreadable: run it again
            }
        }
    }

    /** Trains every model not trained yet (train's output folder per model); the error of each model that failed; null for a dry run. */
    private static Map<String, String> train(ExploreSpace.Plan plan, Path dir, Executor executor) throws IOException {
        List<Task> tasks = new ArrayList<>();
        for (var e : plan.models().entrySet()) {
            List<String> args = new ArrayList<>(List.of("train", "--" + InputOptions.DATA.name()));
            args.addAll(plan.dataArgs());
            args.addAll(e.getValue());
            // --resume: a model whose training was killed continues from its checkpoint
            args.addAll(List.of("--out", modelDir(dir, e.getKey()).toString(), "--" + TrainingOptions.RESUME.name()));
            tasks.add(new Task("train-" + e.getKey(), BcflowProcess.command(args.toArray(String[]::new)),
                    modelDir(dir, e.getKey()).resolve(Outputs.TRAIN_REPORT)));
        }
        List<Outcome> outcomes = run(tasks, dir, executor, "train");
        if (outcomes == null) {
            return null;
        }
        Map<String, String> errors = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            if (!o.done()) {
                errors.put(o.task().id().substring("train-".length()), "training failed: " + o.error());
            }
        }
        return errors;
    }

    /** Runs every point whose model trained (explore-task per point); null for a dry run. */
    private static List<Outcome> points(ExploreSpace.Plan plan, Path dir, Executor executor, Map<String, String> trainErrors)
            throws IOException {
        List<Task> tasks = new ArrayList<>();
        for (ExploreSpace.Point p : plan.points()) {
            if (!trainErrors.containsKey(p.model())) {
                tasks.add(new Task("point-" + p.id(), BcflowProcess.command("explore-task", "--" + ExploreTaskCommand.POINT.name(),
                        p.id(), "--out", dir.toString()), resultFile(dir, p.id())));
            }
        }
        Files.createDirectories(dir.resolve("results"));
        return run(tasks, dir, executor, "points");
    }

    /** The tasks on the executor, with a progress bar; null for a dry run. */
    private static List<Outcome> run(List<Task> tasks, Path dir, Executor executor, String what) throws IOException {
        if (tasks.isEmpty()) {
            return List.of();
        }
        Path work = dir.resolve("tasks");
        Files.createDirectories(work);
        List<Outcome> outcomes;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(what).setInitialMax(tasks.size())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).build()) {
            outcomes = executor.run(tasks, work, o -> {
                bar.step();
                if (o.attempts() > 1 || !o.done()) {
                    Stages.say("explore", o.task().id() + (o.done() ? "" : " failed") + " (run " + o.attempts()
                            + " times: an earlier run failed or was lost)" + (o.done() ? "" : ": " + o.error()));
                }
            });
        }
        if (outcomes.stream().anyMatch(Outcome::dryRun)) {
            return null;
        }
        return outcomes;
    }
}
