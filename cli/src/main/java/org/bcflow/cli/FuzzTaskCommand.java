package org.bcflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.Json;
import org.bcflow.rtlgen.RtlGenerator;
import org.bcflow.sim.Fuzzer;
import org.bcflow.sim.Verifier;

/**
 * {@code bcflow fuzz-task}: one case of a fuzz campaign, in a process of its own: what
 * {@code fuzz --executor slurm} runs as an array task. It writes {@code OUT/case-I.json}: the case,
 * whether hardware and reference agreed (a mismatch is a result, exit 0), and the tool versions of
 * the node it ran on. A node without Verilator fails the task in one line, exit 2.
 */
final class FuzzTaskCommand implements Command {
    static final Opt<Integer> CASE = Opt.of("case", "I", 0, Parse.atLeast(0), "the campaign's case to run, 0 = the first");
    private static final Opt<Path> OUT = Outputs.out("the campaign's task folder, where case-I.json goes");

    /** One case's outcome, as the campaign gathers it. */
    record Result(int index, String fuzzCase, boolean ok, String problem, Map<String, String> tools) {
    }

    static Path resultFile(Path dir, int index) {
        return dir.resolve("case-" + index + ".json");
    }

    @Override
    public String name() {
        return "fuzz-task";
    }

    @Override
    public String summary() {
        return "one case of a fuzz campaign, as an array task of fuzz --executor slurm runs it; writes OUT/case-I.json";
    }

    @Override
    public List<Opt<?>> options() {
        return List.of(FuzzCommand.SEED, CASE, VerifyOptions.PLANT_FAULT, OUT);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        int index = CASE.get(line);
        long seed = FuzzCommand.SEED.get(line);
        Path dir = OUT.get(line);
        Map<String, String> tools = org.bcflow.cluster.ToolVersions.probe(List.of("verilator"));
        Fuzzer.Case c = Fuzzer.cases(index + 1, seed).get(index);
        Path scratch = dir.resolve("work-" + index);
        Files.createDirectories(scratch);
        try {
            Fuzzer fuzzer = new Fuzzer(new Verifier(Verifier.defaultCache().resolve("fuzz"), Duration.ofMinutes(10)),
                    new RtlGenerator("bcnet", 1), scratch, 0, m -> { });
            if (VerifyOptions.PLANT_FAULT.get(line)) {
                fuzzer = fuzzer.withPlantedFault(org.bcflow.sim.PlantedFaults.SHIFT_ONE_TOO_LARGE);
            }
            String problem = fuzzer.check(c, scratch.resolve("case"));
            AtomicFiles.writeString(resultFile(dir, index), Json.text(new Result(index, c.toString(), problem == null, problem, tools)));
            System.out.println("case " + index + ": " + c + ": " + (problem == null ? "ok" : "FAIL " + problem));
        } finally {
            AtomicFiles.deleteTree(scratch);
        }
        return 0;
    }
}
