package org.bcflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.Architecture;
import org.bcflow.core.BcflowException;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.tools.ExternalTool;
import org.bcflow.core.tools.Reaper;
import org.bcflow.trainer.TrainBench;

/**
 * {@code bcflow bench-train}: training throughput of the paper's MLP against ND4J's sgemm limit
 * measured in the same run, and against DL4J's stock MultiLayerNetwork training the same
 * architecture in full precision. The peer runs in a JVM of its own from the optional bench module
 * ({@code mvn -Pbench package}), which keeps DL4J out of the default build; without it the peer is
 * reported as not run.
 */
final class BenchTrainCommand implements Command {
    private static final String REPORT = Outputs.BENCH_REPORT;
    static final String PEER_NAME = "DL4J 1.0.0-M2.1 MultiLayerNetwork, full precision";
    private static final Opt<Path> OUT = Outputs.out("folder for " + REPORT, Outputs.DEFAULT_OUT + "/bench");
    /** The paper's MLP, not train's default: the benchmark's own sizes. */
    private static final Opt<List<Integer>> HIDDEN = new Opt<>("hidden", "SIZES", List.of(1024, 1024, 1024),
            "1024,1024,1024: 784-1024-1024-1024-10", Parse.wholeNumbers(1, Integer.MAX_VALUE, "1024,1024,1024"),
            "hidden layer sizes");
    private static final Opt<Architecture> ARCH = TrainingOptions.ARCH;
    private static final Opt<FeatureMap> INPUT = Opt.of("input", "CxHxW", new FeatureMap(1, 28, 28), Parse.featureMap(),
            "image shape of the random images (3x32x32 for CIFAR-10's and SVHN's); MLPs take it flattened");
    private static final Opt<Integer> BATCH = Opt.of("batch", "N", 100, Parse.atLeast(2), "mini-batch size");
    private static final Opt<Integer> STEPS = Opt.of("steps", "N", 300, Parse.atLeast(1), "timed training steps");
    private static final Opt<Integer> PEER_STEPS = Opt.of("peer-steps", "N", 100, Parse.atLeast(1), "timed DL4J steps");
    private static final Opt<Boolean> NO_PEER = Opt.flag("no-peer", "skip the DL4J peer");
    private static final Opt<Boolean> PROFILE = Opt.flag("profile",
            "also time the parts of a conv net's step (im2col, copies, sgemm, batch norm, pooling, loss, update)");

    @Override
    public String name() {
        return "bench-train";
    }

    @Override
    public String summary() {
        return "training images/s vs. the sgemm limit and the DL4J peer; writes OUT/" + REPORT;
    }

    @Override
    public List<Opt<?>> options() {
        return List.of(OUT, Outputs.FORCE, HIDDEN, ARCH, INPUT, BATCH, STEPS, PEER_STEPS, NO_PEER, PROFILE);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        if (PROFILE.get(line)) {
            System.setProperty("bcflow.profile", "true"); // read once, when the trainer's StepProfile loads
        }
        if (ARCH.given(line) && HIDDEN.given(line)) {
            throw new ParseException("give --arch or --hidden, not both");
        }
        Architecture arch = ARCH.given(line) ? ARCH.get(line)
                : Architecture.mlp(HIDDEN.get(line).stream().mapToInt(Integer::intValue).toArray(), 10);
        FeatureMap input = INPUT.get(line);
        try {
            arch.shapes(input);
        } catch (IllegalArgumentException e) {
            throw new ParseException("--arch " + arch + " on " + input + " images: " + e.getMessage());
        }
        int batch = BATCH.get(line);
        int steps = STEPS.get(line);
        int peerSteps = PEER_STEPS.get(line);
        Path dir = OUT.get(line);
        String omp = System.getenv("OMP_NUM_THREADS");
        try (OutputFolder out = Outputs.open(line, dir, name(), List.of(REPORT), Set.of())) {
            return bench(line, arch, input, batch, steps, peerSteps, omp, out);
        }
    }

    private int bench(CommandLine line, Architecture arch, FeatureMap input, int batch, int steps, int peerSteps, String omp,
                      OutputFolder out) throws Exception {
        Stages.say("bench", "bcflow trainer, " + steps + " steps of batch " + batch + ", OMP_NUM_THREADS=" + omp
                + ", OPENBLAS_THREAD_TIMEOUT=" + System.getenv("OPENBLAS_THREAD_TIMEOUT"));
        // an MLP runs as today's flattened vector, so its figures stay comparable with earlier runs
        FeatureMap shape = arch.isMlp() ? FeatureMap.vector(input.size()) : input;
        TrainBench.Result r = TrainBench.run(arch, shape, batch, Math.min(30, Math.max(3, steps / 10)), steps);
        BenchReport.Peer peer;
        if (NO_PEER.get(line)) {
            peer = BenchReport.Peer.notRun(PEER_NAME, "--no-peer");
        } else {
            Path jar = benchJar();
            if (jar == null) {
                peer = BenchReport.Peer.notRun(PEER_NAME, "bench module not built: run mvn -B -Pbench -DskipTests package");
            } else {
                Stages.say("bench", "DL4J peer from " + jar + ", " + peerSteps + " steps");
                peer = BenchReport.Peer.ran(PEER_NAME, runPeer(jar, arch, input, batch, peerSteps));
            }
        }
        java.util.Map<String, Double> split = null;
        if (!r.msPerStep().isEmpty()) {
            split = new java.util.LinkedHashMap<>();
            for (var e : r.msPerStep().entrySet()) {
                split.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue());
            }
        }
        BenchReport j = new BenchReport(r.network(), batch, steps, omp, Runtime.getRuntime().availableProcessors(),
                r.imagesPerSecond(), r.stepGflop(), r.usefulGflops(), r.sgemmGflops(), BenchReport.SGEMM_NOTE,
                r.sgemm1024Gflops(), r.rooflineRatio(), split, peer);
        Reports.write(out, REPORT, j);
        if (split != null) {
            StringBuilder text = new StringBuilder();
            split.forEach((part, ms) -> text.append(String.format(Locale.ROOT, " %s %.1f ms,", part, ms)));
            Stages.say("bench", "step of " + String.format(Locale.ROOT, "%.1f", 1000.0 * batch / r.imagesPerSecond())
                    + " ms:" + text.substring(0, text.length() - 1));
        }
        out.commit();
        System.out.printf(Locale.ROOT, "%s batch %d: %,.0f images/s = %.1f useful GFLOP/s; sgemm %.1f GFLOP/s on the same"
                        + " products (%.1f at 1024^3); roofline ratio %.2f; peer %s: %s; in %s%n",
                r.network(), batch, r.imagesPerSecond(), r.usefulGflops(), r.sgemmGflops(), r.sgemm1024Gflops(),
                r.rooflineRatio(), PEER_NAME, peer.imagesPerSecond() == null ? "not run (" + peer.note() + ")"
                        : String.format(Locale.ROOT, "%,.0f images/s", peer.imagesPerSecond()),
                out.dir().resolve(REPORT));
        return 0;
    }

    /** $BCFLOW_BENCH_JAR, else bench/target/bcflow-bench.jar in the project this command was built in. */
    private static Path benchJar() {
        String env = System.getenv("BCFLOW_BENCH_JAR");
        if (env != null && !env.isEmpty()) {
            Path p = Path.of(env);
            if (!Files.isRegularFile(p)) {
                throw new BcflowException("BCFLOW_BENCH_JAR names " + p + ", which is not a file");
            }
            return p;
        }
        try {
            // the launcher runs a snapshot in cli/target/run/ID/, mvn's jar lies in cli/target/: look upwards
            Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = self.getParent(); dir != null; dir = dir.getParent()) {
                Path jar = dir.resolve("bench/target/bcflow-bench.jar");
                if (Files.isRegularFile(jar)) {
                    return jar;
                }
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * The peer's fastest stock setting: one OpenMP thread for an MLP (its small products lose more to
     * thread hand-overs than they gain), every core for a conv net (its products are large).
     */
    private static java.util.Map<String, String> peerEnvironment(Architecture arch) {
        return arch.isMlp() ? java.util.Map.of("OMP_NUM_THREADS", "1")
                : java.util.Map.of("OMP_NUM_THREADS", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    /** Runs the DL4J peer as every external tool runs (its own process group, a timeout, a log) and reads its result line. */
    private static JsonNode runPeer(Path jar, Architecture arch, FeatureMap input, int batch, int steps) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path work = Reaper.temporaryFolder("bcflow-bench-peer");
        try {
            ExternalTool.Result r = ExternalTool.run(List.of(java.toString(), "-Xmx6g", "-jar", jar.toString(), "--arch",
                    arch.toString(), "--input", input.toString(), "--batch", Integer.toString(batch), "--steps",
                    Integer.toString(steps)), work,
                    work.resolve("peer.log"), Duration.ofMinutes(30), peerEnvironment(arch));
            String result = r.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (r.exitCode() != 0 || result == null) {
                throw new BcflowException("the DL4J peer (" + jar + ") failed with exit code " + r.exitCode() + ": "
                        + r.output().lines().reduce((a, b) -> b).orElse("no output"));
            }
            return Reports.JSON.readTree(result);
        } catch (IOException e) {
            throw new BcflowException("the DL4J peer printed no JSON result line: " + e.getMessage());
        } finally {
            Reaper.deleteTemporaryFolder(work);
        }
    }
}
