package org.bcflow.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.bcflow.core.OutputFolder;
import org.bcflow.rtlgen.RtlGenerator;
import org.bcflow.sim.Fuzzer;
import org.bcflow.sim.Verifier;

final class FuzzCommand implements Command {
    private static final Opt<Integer> CASES = Opt.of("count", "N", 20, Parse.atLeast(1), "random cases");
    static final Opt<Integer> SEED = Opt.of("seed", "S", 1, Parse.atLeast(0), "campaign seed");
    private static final Opt<Integer> SHRINK = Opt.of("shrink", "N", 24, Parse.atLeast(0),
            "simulations a failure may be shrunk with, at most");
    private static final Opt<Path> OUT = Outputs.out("folder for a failure's reproducer");

    @Override
    public String name() {
        return "fuzz";
    }

    @Override
    public String summary() {
        return "generate random networks and foldings, simulate each in Verilator against the reference; shrink and save a failure";
    }

    @Override
    public List<Opt<?>> options() {
        List<Opt<?>> o = new java.util.ArrayList<>(List.of(CASES, SEED, SHRINK, OUT, Outputs.FORCE, VerifyOptions.PLANT_FAULT, VerifyOptions.JOBS));
        o.addAll(ExecutorOptions.ALL);
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        ExecutorOptions.check(line);
        int count = CASES.get(line);
        long seed = SEED.get(line);
        RtlGenerator gen = new RtlGenerator("bcnet", 1);
        org.bcflow.sim.Verilator.locate();
        Path dir = OUT.get(line).resolve("fuzz");
        int shrink = SHRINK.get(line);
        // earlier campaigns' reproducers stay: a campaign adds its own failure folder, or nothing
        try (OutputFolder out = Outputs.open(line, dir, name(), List.of(), Set.of())) {
            Fuzzer fuzzer = new Fuzzer(new Verifier(Verifier.defaultCache().resolve("fuzz"), Duration.ofMinutes(10)), gen,
                    out.staging(), shrink, m -> Stages.say("fuzz", out.published(m)));
            if (VerifyOptions.PLANT_FAULT.get(line)) {
                fuzzer = fuzzer.withPlantedFault(org.bcflow.sim.PlantedFaults.SHIFT_ONE_TOO_LARGE);
            }
            boolean tasks = ExecutorOptions.slurm(line) || VerifyOptions.JOBS.given(line) || ExecutorOptions.RETRIES.given(line);
            Fuzzer.Result r = tasks ? asTasks(line, fuzzer, out, count, seed) : fuzzer.run(count, seed);
            if (r == null) {
                return 0;  // a dry run
            }
            if (r.failures() == 0) {
                System.out.println("fuzz: " + r.cases() + " cases, no mismatch");
                return 0;
            }
            out.commit();
            Path repro = dir.resolve(r.reproducer().getFileName());
            System.out.println("fuzz: FAILED after " + r.cases() + " cases: " + r.firstFailure() + ": " + r.failure());
            System.out.println("reproducer: " + repro + " (bcflow verify --rtl " + repro.resolve("rtl") + " --data "
                    + repro.resolve("data") + ")");
            return 1;
        }
    }

    /**
     * The campaign as tasks, one per case (fuzz-task), on the executor the options name; the first
     * failure is then shrunk and saved here, as a campaign in one process does. Null for a dry run.
     */
    private static Fuzzer.Result asTasks(CommandLine line, Fuzzer fuzzer, OutputFolder out, int count, long seed) throws Exception {
        int jobs = VerifyOptions.JOBS.get(line, Runtime.getRuntime().availableProcessors());
        org.bcflow.cluster.Executor executor = ExecutorOptions.executor(line, jobs);
        java.nio.file.Path work = out.staging().resolve("tasks");
        java.nio.file.Files.createDirectories(work);
        List<org.bcflow.cluster.Task> list = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> args = new java.util.ArrayList<>(List.of("fuzz-task", "--seed", Long.toString(seed), "--case",
                    Integer.toString(i), "--out", work.toString()));
            if (VerifyOptions.PLANT_FAULT.get(line)) {
                args.add("--plant-fault");
            }
            list.add(new org.bcflow.cluster.Task("case-" + i, BcflowProcess.command(args.toArray(String[]::new)),
                    FuzzTaskCommand.resultFile(work, i)));
        }
        Stages.say("fuzz", count + " cases on " + executor.describe());
        List<org.bcflow.cluster.Outcome> outcomes = executor.run(list, work, o -> { });
        if (outcomes.stream().anyMatch(org.bcflow.cluster.Outcome::dryRun)) {
            return null;
        }
        List<Fuzzer.Case> cases = Fuzzer.cases(count, seed);
        java.util.Set<String> tools = new java.util.TreeSet<>();
        int firstFailure = -1;
        for (int i = 0; i < count; i++) {
            org.bcflow.cluster.Outcome o = outcomes.get(i);
            if (!o.done()) {
                throw new org.bcflow.core.BcflowException("fuzz: case " + i + " could not be run (" + o.attempts() + " attempts): "
                        + o.error() + "; logs in " + out.published(work.resolve("logs").toString()));
            }
            FuzzTaskCommand.Result r = org.bcflow.core.Json.MAPPER.readValue(o.task().resultFile().toFile(), FuzzTaskCommand.Result.class);
            tools.addAll(r.tools().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
            Stages.say("fuzz", String.format("case %d/%d: %s: %s%s", i + 1, count, r.fuzzCase(), r.ok() ? "ok" : "FAIL " + r.problem(),
                    o.attempts() > 1 ? " (run " + o.attempts() + " times: an earlier run failed or was lost)" : ""));
            if (!r.ok() && firstFailure < 0) {
                firstFailure = i;
            }
        }
        Stages.say("fuzz", "tools on the nodes: " + String.join("; ", tools));
        org.bcflow.core.AtomicFiles.deleteTree(work);  // the tasks' results are read: only a reproducer is an output
        return firstFailure < 0 ? new Fuzzer.Result(count, 0, null, null, null) : fuzzer.failed(firstFailure + 1, cases.get(firstFailure));
    }
}
