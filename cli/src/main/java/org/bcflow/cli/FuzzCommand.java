package org.bcflow.cli;

import static org.bcflow.cli.Main.intValue;
import static org.bcflow.cli.Main.opt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.bcflow.core.OutputFolder;
import org.bcflow.rtlgen.RtlGenerator;
import org.bcflow.sim.Fuzzer;
import org.bcflow.sim.Verifier;

final class FuzzCommand implements Command {
    @Override
    public String name() {
        return "fuzz";
    }

    @Override
    public String summary() {
        return "generate random networks and foldings, simulate each in Verilator against the reference; shrink and save a failure";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(opt("count", "N", "random cases (default 20)"));
        o.addOption(opt("seed", "S", "campaign seed (default 1)"));
        o.addOption(opt("shrink", "N", "simulations a failure may be shrunk with, at most (default 24)"));
        CommonOptions.out(o, "folder for a failure's reproducer");
        o.addOption(opt("plant-fault", null, "use a deliberately broken generator (shows that the campaign catches one)"));
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        int count = intValue(line, "count", 20, 1);
        long seed = intValue(line, "seed", 1, 0);
        RtlGenerator gen = new RtlGenerator("bcnet", 1);
        org.bcflow.sim.Verilator.locate();
        Path dir = CommonOptions.out(line).resolve("fuzz");
        // earlier campaigns' reproducers stay: a campaign adds its own failure folder, or nothing
        try (OutputFolder out = CommonOptions.open(line, dir, name(), List.of(), Set.of())) {
            Fuzzer fuzzer = new Fuzzer(new Verifier(Verifier.defaultCache().resolve("fuzz"), Duration.ofMinutes(10)), gen,
                    out.staging(), intValue(line, "shrink", 24, 0), m -> Stages.say("fuzz", out.published(m)));
            if (line.hasOption("plant-fault")) {
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
