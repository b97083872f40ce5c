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
    private static final Opt<Integer> SEED = Opt.of("seed", "S", 1, Parse.atLeast(0), "campaign seed");
    private static final Opt<Integer> SHRINK = Opt.of("shrink", "N", 24, Parse.atLeast(0),
            "simulations a failure may be shrunk with, at most");
    private static final Opt<Path> OUT = Outputs.out("folder for a failure's reproducer");
    private static final Opt<Boolean> PLANT_FAULT = Opt.flag("plant-fault",
            "use a deliberately broken generator (shows that the campaign catches one)");

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
        return List.of(CASES, SEED, SHRINK, OUT, Outputs.FORCE, PLANT_FAULT);
    }

    @Override
    public int run(CommandLine line) throws Exception {
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
            if (PLANT_FAULT.get(line)) {
                fuzzer = fuzzer.withPlantedFault(org.bcflow.sim.PlantedFaults.SHIFT_ONE_TOO_LARGE);
            }
            Fuzzer.Result r = fuzzer.run(count, seed);
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
}
