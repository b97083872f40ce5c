package org.bcflow.sim;

import org.bcflow.core.tools.ExternalTool;
import org.bcflow.core.tools.Reaper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.bcflow.core.BcflowException;
import org.bcflow.core.HardwareSupport;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.Reference;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Design;

/**
 * Runs a generated design in Verilator on test images and compares, image by image, every
 * layer's output vector, the class and the scores with the Java reference interpreter of the
 * network the design was generated from. On a mismatch it names the first diverging image,
 * layer, neuron, values and cycle, and records an FST waveform around that cycle. Every ROM file
 * is compared with the network too ({@link RomChecker}); a difference there fails verification
 * but does not stop the simulation, so that both comparisons report.
 */
public final class Verifier {
    /** Cycles of waveform recorded before and after the first divergence. */
    static final long WAVEFORM_WINDOW = 200;

    private final Path cacheRoot;
    private final Duration timeout;
    /** Null: the simulator processes run here, in threads; else as tasks of this executor (a Slurm array). */
    private final org.bcflow.cluster.Executor executor;
    /** With an executor: a folder the nodes share, for the image shards, their outputs and the tasks' logs. */
    private final Path sharedWork;

    /**
     * What to run.
     *
     * @param count         images to simulate, from the first
     * @param jobs          simulator processes to split them over
     * @param gapPerMille   with stallPerMille: also run under backpressure (0 and 0: no such run)
     * @param stallPerMille chance per cycle that m_axis_tready is low
     * @param seed          seed of the backpressure pattern
     * @param failureDir    where a waveform of a failure goes (null: beside the RTL, in DIR/verify-failure)
     * @param simulator     "verilator" or "icarus"
     */
    public record Options(int count, int jobs, int gapPerMille, int stallPerMille, long seed, Path failureDir,
            String simulator) {
        public Options {
            if (!simulator.equals("verilator") && !simulator.equals("icarus")) {
                throw new BcflowException("unknown simulator '" + simulator + "' (verilator or icarus)");
            }
            if (simulator.equals("icarus") && (gapPerMille > 0 || stallPerMille > 0)) {
                throw new BcflowException("backpressure runs need Verilator");
            }
            if (count < 1 || jobs < 1 || gapPerMille < 0 || gapPerMille > 999 || stallPerMille < 0 || stallPerMille > 999) {
                throw new BcflowException("verify options out of range: count " + count + ", jobs " + jobs + ", gap "
                        + gapPerMille + "/1000, stall " + stallPerMille + "/1000");
            }
        }

        public static Options of(int count) {
            return new Options(count, 1, 0, 0, 1, null, "verilator");
        }

        public Options withJobs(int n) {
            return new Options(count, n, gapPerMille, stallPerMille, seed, failureDir, simulator);
        }

        public Options withBackpressure(int gap, int stall, long s) {
            return new Options(count, jobs, gap, stall, s, failureDir, simulator);
        }

        /** The same options with a failure's waveform written into {@code dir}. */
        public Options withFailureDir(Path dir) {
            return new Options(count, jobs, gapPerMille, stallPerMille, seed, dir, simulator);
        }

        public Options withSimulator(String name) {
            return new Options(count, jobs, gapPerMille, stallPerMille, seed, failureDir, name);
        }

        boolean backpressure() {
            return gapPerMille > 0 || stallPerMille > 0;
        }
    }

    /**
     * @param cacheRoot folder for cached Verilator builds
     * @param timeout   limit for each build and each simulator run
     */
    public Verifier(Path cacheRoot, Duration timeout) {
        this(cacheRoot, timeout, null, null);
    }

    private Verifier(Path cacheRoot, Duration timeout, org.bcflow.cluster.Executor executor, Path sharedWork) {
        this.cacheRoot = cacheRoot;
        this.timeout = timeout;
        this.executor = executor;
        this.sharedWork = sharedWork;
    }

    /**
     * The same verification with each simulator process (an image shard, {@link Options#jobs} of
     * them) run as a task of {@code executor}, e.g. a Slurm array; {@code sharedWork} is a folder
     * the nodes share (the cached build, too, must be on a shared folder). What is compared, and how,
     * does not change.
     */
    public Verifier withExecutor(org.bcflow.cluster.Executor executor, Path sharedWork) {
        return new Verifier(cacheRoot, timeout, executor, sharedWork);
    }

    public static Path defaultCache() {
        return org.bcflow.core.data.Datasets.cacheRoot().resolve("verilator");
    }

    public VerifyReport verify(Path rtlDir, LabeledImages images, int count) {
        return verify(rtlDir, images, Options.of(count));
    }

    public VerifyReport verify(Path rtlDir, LabeledImages images, Options o) {
        Design design = Design.read(rtlDir);
        Network net = NetworkFile.read(rtlDir.resolve(design.networkFile()));
        HardwareSupport.requireGeneratable(net, rtlDir.resolve(design.networkFile()).toString());
        if (o.simulator().equals("icarus") && design.layers().get(0).conv() != null) {
            throw new BcflowException(rtlDir + ": the Icarus testbench takes MLP designs only; verify conv designs with Verilator");
        }
        InputCheck.check(rtlDir, design, net, images, o.count());
        // before any simulation: a malformed ROM file is an error, never a run on zeros
        VerifyReport.RomCheck roms = RomChecker.check(rtlDir, design, net);
        CycleCheck cycles = new CycleCheck(design, net);
        boolean icarus = o.simulator().equals("icarus");
        Verilator verilator = icarus ? null : Verilator.locate();
        Icarus iverilog = icarus ? Icarus.locate() : null;
        String simulator = icarus ? iverilog.version() : "Verilator " + verilatorVersion(verilator, rtlDir);
        Verilator.Build build = icarus ? null : build(verilator, rtlDir, design, false);

        Reference ref = new Reference(net);
        Reference.Trace[] expected = IntStream.range(0, o.count()).parallel()
                .mapToObj(i -> ref.run(images.image(i))).toArray(Reference.Trace[]::new);

        Path work = executor == null ? tempDir() : sharedTempDir();
        try {
            Path inputs = writeInputs(images, o.count(), work.resolve("inputs.bin"));
            long start = System.nanoTime();
            List<Chunk> clean;
            try {
                clean = runChunks(build, iverilog, rtlDir, design, inputs, o, 0, 0, work);
            } catch (SimulatorCrash crash) {
                if (icarus || !build.cached()) {
                    throw crash;
                }
                // a binary damaged before its checksum was recorded passes the check: build it afresh, once
                build = verilator.rebuild(rtlDir, design.verilogFiles(), testbench(design), TapWrapperWriter.MODULE, false,
                        cacheRoot, timeout, "the cached simulator crashed (" + crash.getMessage() + ")");
                start = System.nanoTime();
                clean = runChunks(build, iverilog, rtlDir, design, inputs, o, 0, 0, work);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Comparison cmp = compare(design, expected, clean, images);
            if (cmp.first != null && cmp.first.neuron() < 0 && !cmp.first.layer().equals("output") && !icarus) {
                cmp.first = locate(build, rtlDir, design, inputs, cmp.first, o, expected, work);
            }
            long[] iv = cycles.clean(outputs(clean), firstImages(clean));

            String waveform = null;
            if (cmp.first != null && !icarus) {
                waveform = recordWaveform(verilator, rtlDir, design, inputs, cmp.first, o, work);
            }
            VerifyReport.Backpressure bp = null;
            if (o.backpressure()) {
                long bpStart = System.nanoTime();
                List<Chunk> stalled = runChunks(build, null, rtlDir, design, inputs, o, o.gapPerMille(), o.stallPerMille(), work);
                double bpSeconds = (System.nanoTime() - bpStart) / 1e9;
                Comparison b = compare(design, expected, stalled, images);
                cycles.stalled(outputs(stalled), firstImages(stalled), o.gapPerMille(), o.stallPerMille(), o.seed());
                boolean same = true;
                long spanCycles = 0;
                int spans = 0;
                for (int c = 0; c < clean.size(); c++) {
                    SimOutput x = clean.get(c).out;
                    SimOutput y = stalled.get(c).out;
                    for (int i = 0; i < x.count; i++) {
                        same &= x.classes[i] == y.classes[i] && Arrays.equals(x.scores[i], y.scores[i]);
                    }
                    if (y.count > 1) {
                        spanCycles += y.outCycle[y.count - 1] - y.outCycle[0];
                        spans += y.count - 1;
                    }
                }
                bp = new VerifyReport.Backpressure(o.gapPerMille(), o.stallPerMille(), o.seed(), b.mismatches, same,
                        spans == 0 ? 0 : spanCycles / (double) spans, latency(stalled.get(0).out),
                        stalled.stream().mapToLong(c -> c.out.totalCycles).sum(), bpSeconds);
            }
            double buildSeconds = icarus ? 0 : build.seconds();
            var accuracy = new VerifyReport.Accuracy(cmp.referenceCorrect / (double) o.count(),
                    cmp.hardwareCorrect / (double) o.count());
            var measured = new VerifyReport.Cycles(cycles.interval(), iv.length == 0 ? 0 : iv[iv.length / 2],
                    iv.length == 0 ? 0 : iv[0], iv.length == 0 ? 0 : iv[iv.length - 1], cycles.latency(),
                    latency(clean.get(0).out), clean.stream().mapToLong(c -> c.out.totalCycles).sum());
            var built = new VerifyReport.Build(buildSeconds, !icarus && build.cached(),
                    icarus ? work.toString() : build.binary().getParent().getParent().toString(),
                    icarus ? null : build.rebuiltBecause());
            return new VerifyReport(simulator, o.count(), clean.size(), cmp.mismatches, accuracy, measured, built, seconds,
                    cmp.first, roms, new VerifyReport.CycleModelCheck(cycles.problems()), waveform, bp, cmp.firstMismatches);
        } catch (IOException e) {
            throw new BcflowException("simulation I/O failed: " + e.getMessage());
        } finally {
            Reaper.deleteTemporaryFolder(work);
        }
    }

    private Verilator.Build build(Verilator verilator, Path rtlDir, Design design, boolean trace) {
        return verilator.build(rtlDir, design.verilogFiles(), testbench(design), TapWrapperWriter.MODULE, trace, cacheRoot,
                timeout);
    }

    /** The files of the simulation beside the design's own: the tap wrapper and the C++ testbench. */
    private static Map<String, String> testbench(Design design) {
        Map<String, String> files = new java.util.HashMap<>(TestbenchWriter.files(design));
        files.put(TapWrapperWriter.FILE, TapWrapperWriter.write(design));
        return files;
    }

    /** The simulator process was killed by a signal (exit 128 + signal), as a damaged binary would be. */
    private static final class SimulatorCrash extends BcflowException {
        SimulatorCrash(String message) {
            super(message);
        }
    }

    /** One simulator process: images [first, first + out.count). */
    private record Chunk(int first, SimOutput out) {
    }

    private List<Chunk> runChunks(Verilator.Build build, Icarus iverilog, Path rtlDir, Design d, Path inputs, Options o,
            int gap, int stall, Path work) throws IOException {
        int jobs = Math.min(o.jobs(), o.count());
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        List<Shard> shards = new ArrayList<>();
        try {
            List<Future<Chunk>> futures = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                int from = (int) ((long) o.count() * j / jobs);
                int to = (int) ((long) o.count() * (j + 1) / jobs);
                Path part = work.resolve("inputs-" + j + "-" + gap + "-" + stall + ".bin");
                int bytesPerImage = d.inputs() * 2;
                try (var ch = java.nio.channels.FileChannel.open(inputs)) {
                    ByteBuffer buf = ByteBuffer.allocate((to - from) * bytesPerImage);
                    ch.read(buf, (long) from * bytesPerImage);
                    Files.write(part, buf.array());
                }
                int index = j;
                if (executor != null && iverilog == null) {
                    shards.add(new Shard(index, from, to, part));
                    continue;
                }
                futures.add(pool.submit(() -> {
                    Path out = work.resolve("outputs-" + index + "-" + gap + "-" + stall + ".txt");
                    if (iverilog != null) {
                        iverilog.run(rtlDir, d, part, to - from, out, work.resolve("icarus-" + index), timeout);
                        return new Chunk(from, new SimOutput(to - from, Taps.of(d).size(), d.classes(), Files.readAllLines(out)));
                    }
                    List<String> args = new ArrayList<>(List.of(build.binary().toString(), part.toString(), out.toString(),
                            Integer.toString(to - from)));
                    if (gap > 0 || stall > 0) {
                        args.addAll(List.of(Integer.toString(gap), Integer.toString(stall), Long.toString(o.seed() + index)));
                    }
                    runSimulator(args, rtlDir, work.resolve("run-" + index + ".log"));
                    return new Chunk(from, new SimOutput(to - from, Taps.of(d).size(), d.classes(), Files.readAllLines(out)));
                }));
            }
            List<Chunk> chunks = new ArrayList<>();
            for (Future<Chunk> f : futures) {
                chunks.add(f.get());
            }
            if (!shards.isEmpty()) {
                chunks.addAll(runShards(build, rtlDir, d, shards, gap, stall, o.seed(), work));
            }
            return chunks;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BcflowException b) {
                throw b;
            }
            throw new BcflowException("simulation failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BcflowException("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    private record Shard(int index, int from, int to, Path inputs) {
    }

    /**
     * The image shards as tasks of the executor: each runs the cached simulator binary on its
     * images and renames its output into place when the run succeeded, so a killed or lost task
     * leaves no output that could pass for a result. The same checks as a local run follow.
     */
    private List<Chunk> runShards(Verilator.Build build, Path rtlDir, Design d, List<Shard> shards, int gap, int stall, long seed,
            Path work) throws IOException {
        List<org.bcflow.cluster.Task> tasks = new ArrayList<>();
        for (Shard s : shards) {
            Path out = work.resolve("outputs-" + s.index() + "-" + gap + "-" + stall + ".txt");
            List<String> cmd = new ArrayList<>(List.of("bash", "-c", "cd \"$1\" && shift && \"$@\" && mv \"$3\" \"${3%.partial}\"",
                    "shard", rtlDir.toAbsolutePath().toString(), build.binary().toAbsolutePath().toString(),
                    s.inputs().toAbsolutePath().toString(), out.toAbsolutePath() + ".partial", Integer.toString(s.to() - s.from())));
            // after the shift "$@" is: binary inputs out.partial n [gap stall seed]; the output keeps its name only on success
            if (gap > 0 || stall > 0) {
                cmd.addAll(List.of(Integer.toString(gap), Integer.toString(stall), Long.toString(seed + s.index())));
            }
            tasks.add(new org.bcflow.cluster.Task("shard-" + s.index() + "-" + gap + "-" + stall, cmd, out));
        }
        List<org.bcflow.cluster.Outcome> outcomes = executor.run(tasks, work, o -> { });
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            org.bcflow.cluster.Outcome o = outcomes.get(i);
            Shard s = shards.get(i);
            if (o.dryRun()) {
                throw new org.bcflow.cluster.DryRun();
            }
            if (!o.done()) {
                throw new BcflowException("simulation of images " + s.from() + ".." + (s.to() - 1) + " failed on "
                        + executor.describe() + ": " + o.error() + " (logs in " + work.resolve("logs") + ")");
            }
            Path log = work.resolve("logs").resolve(o.task().id() + ".out");
            String problem = Files.exists(log) ? Files.readAllLines(log).stream()
                    .filter(l -> l.startsWith("%Warning") || l.startsWith("%Error")).findFirst().orElse(null) : null;
            if (problem != null) {
                throw new BcflowException("simulation of " + rtlDir + " reported: " + problem.strip());
            }
            chunks.add(new Chunk(s.from(), new SimOutput(s.to() - s.from(), Taps.of(d).size(), d.classes(),
                    Files.readAllLines(o.task().resultFile()))));
        }
        return chunks;
    }

    private Path sharedTempDir() {
        try {
            Files.createDirectories(sharedWork);
            Path dir = Files.createTempDirectory(sharedWork, "verify-");
            Reaper.watchFolder(dir);
            return dir;
        } catch (IOException e) {
            throw org.bcflow.core.FileErrors.failure("cannot write", sharedWork, e);
        }
    }

    private void runSimulator(List<String> args, Path rtlDir, Path log) {
        ExternalTool.Result run = ExternalTool.run(args, rtlDir.toAbsolutePath(), log, timeout);
        String problem = run.output().lines().filter(l -> l.startsWith("%Warning") || l.startsWith("%Error"))
                .findFirst().orElse(null);
        if (problem != null) {
            throw new BcflowException("simulation of " + rtlDir + " reported: " + problem.strip());
        }
        if (run.exitCode() >= 128) {
            throw new SimulatorCrash("simulation failed (exit " + run.exitCode() + ", killed by signal " + (run.exitCode() - 128)
                    + "): " + run.output().lines().findFirst().orElse("no output"));
        }
        if (run.exitCode() != 0) {
            throw new BcflowException("simulation failed (exit " + run.exitCode() + "): "
                    + run.output().lines().findFirst().orElse("no output"));
        }
    }

    private static final class Comparison {
        int mismatches;
        int referenceCorrect;
        int hardwareCorrect;
        VerifyReport.Divergence first;
        final List<VerifyReport.Mismatch> firstMismatches = new ArrayList<>();
    }

    private static Comparison compare(Design d, Reference.Trace[] expected, List<Chunk> chunks, LabeledImages images) {
        Comparison c = new Comparison();
        List<Taps> taps = Taps.of(d);
        for (Chunk chunk : chunks) {
            SimOutput out = chunk.out;
            for (int local = 0; local < out.count; local++) {
                int image = chunk.first + local;
                Reference.Trace t = expected[image];
                VerifyReport.Divergence div = null;
                for (int l = 0; l < taps.size() && div == null; l++) {
                    Taps tap = taps.get(l);
                    long[] want = t.outputs()[tap.stackIndex()];
                    if (tap.beats() > 1) {
                        if (out.tapDigest[l][local] != tap.digest(want)) {
                            // located by a second run that logs this image's beats: locate()
                            div = new VerifyReport.Divergence(image, tap.stream(), -1, 0, 0, out.tapCycle[l][local]);
                        }
                        continue;
                    }
                    long[] hw = out.tap(l, local, tap.values(), tap.bits(), tap.signed());
                    for (int n = 0; n < hw.length; n++) {
                        if (hw[n] != want[n]) {
                            div = new VerifyReport.Divergence(image, tap.stream(), n, want[n], hw[n], out.tapCycle[l][local]);
                            break;
                        }
                    }
                }
                boolean outputDiffers = out.classes[local] != t.predictedClass() || !Arrays.equals(out.scores[local], t.scores());
                if (div == null && outputDiffers) {
                    div = new VerifyReport.Divergence(image, "output", -1, t.predictedClass(), out.classes[local],
                            out.outCycle[local]);
                }
                if (div != null) {
                    c.mismatches++;
                    if (c.first == null) {
                        c.first = div;
                    }
                    if (c.firstMismatches.size() < 10) {
                        c.firstMismatches.add(new VerifyReport.Mismatch(image, t.predictedClass(), out.classes[local],
                                t.scores(), out.scores[local]));
                    }
                }
                c.referenceCorrect += t.predictedClass() == images.label(image) ? 1 : 0;
                c.hardwareCorrect += out.classes[local] == images.label(image) ? 1 : 0;
            }
        }
        return c;
    }

    /**
     * Names the pixel and channel of a divergence that a stream's digest found: runs the images of
     * its process again with those in flight behind it (they can spoil it, say a buffer overwritten
     * too early: {@link #processOf}), logging that image's beats of every stream, and returns the first
     * beat that differs from the reference, as its HWC index (y, x, channel in the description).
     */
    private VerifyReport.Divergence locate(Verilator.Build build, Path rtlDir, Design d, Path inputs,
            VerifyReport.Divergence div, Options o, Reference.Trace[] expected, Path work) throws IOException {
        Span span = processOf(div.image(), o);
        int count = span.count();
        Path part = slice(inputs, span, d, work.resolve("locate.bin"));
        Path outFile = work.resolve("locate.txt");
        ExternalTool.Result run = ExternalTool.run(List.of(build.binary().toString(), part.toString(), outFile.toString(),
                Integer.toString(count)), rtlDir.toAbsolutePath(), work.resolve("locate.log"), timeout,
                Map.of("BCFLOW_TAP_IMAGE", Integer.toString(div.image() - span.first())));
        if (run.exitCode() != 0) {
            return div;
        }
        List<Taps> taps = Taps.of(d);
        SimOutput out = new SimOutput(count, taps.size(), d.classes(), Files.readAllLines(outFile));
        long[][] want = expected[div.image()].outputs();
        for (int l = 0; l < taps.size(); l++) {
            Taps tap = taps.get(l);
            if (tap.beats() == 1) {
                continue;
            }
            for (int b = 0; b < tap.beats(); b++) {
                long[] hw = out.beat(l, b, tap.values(), tap.bits());
                for (int ch = 0; ch < tap.values(); ch++) {
                    long w = want[tap.stackIndex()][b * tap.values() + ch];
                    if (hw == null || hw[ch] != w) {
                        return new VerifyReport.Divergence(div.image(), tap.stream(), b * tap.values() + ch, w,
                                hw == null ? -1 : hw[ch], out.beatCycle.get(l) == null || hw == null ? div.cycle()
                                        : out.beatCycle.get(l).get(b), b / tap.map().width(), b % tap.map().width(), ch);
                    }
                }
            }
        }
        return div;
    }

    private static long latency(SimOutput out) {
        return out.outCycle[0] - out.inCycle[0];
    }

    private static List<SimOutput> outputs(List<Chunk> chunks) {
        return chunks.stream().map(Chunk::out).toList();
    }

    private static int[] firstImages(List<Chunk> chunks) {
        return chunks.stream().mapToInt(Chunk::first).toArray();
    }

    /** Re-runs the images of the divergence's process with tracing on, and keeps the FST around it. */
    private String recordWaveform(Verilator verilator, Path rtlDir, Design d, Path inputs, VerifyReport.Divergence div,
            Options o, Path work) throws IOException {
        Verilator.Build traced = build(verilator, rtlDir, d, true);
        // replay the process that ran the diverging image as it ran it, with the images in flight behind it
        Span span = processOf(div.image(), o);
        int count = span.count();
        Path part = slice(inputs, span, d, work.resolve("replay.bin"));
        Path dir = o.failureDir() != null ? o.failureDir() : rtlDir.resolve("verify-failure");
        Files.createDirectories(dir);
        Path fst = dir.resolve("divergence.fst");
        long from = Math.max(0, div.cycle() - WAVEFORM_WINDOW);
        runSimulator(List.of(traced.binary().toString(), part.toString(), work.resolve("replay.txt").toString(),
                Integer.toString(count), "0", "0", "1", fst.toAbsolutePath().toString(), Long.toString(from),
                Long.toString(div.cycle() + WAVEFORM_WINDOW)), rtlDir, work.resolve("replay.log"));
        return fst.toString();
    }

    /** The images [first, end) of one simulator process. */
    private record Span(int first, int end) {
        int count() {
            return end - first;
        }
    }

    /** Images a replay runs beyond the one it is for: those in flight behind it can spoil it (a buffer overwritten early). */
    static final int REPLAY_AFTER = 8;

    /**
     * The images a replay of {@code image} runs: those of the simulator process that ran it
     * (runChunks splits them so) from its first, up to {@value #REPLAY_AFTER} beyond it.
     */
    private static Span processOf(int image, Options o) {
        int jobs = Math.min(o.jobs(), o.count());
        Span span = new Span(0, o.count());
        for (int j = 0; j < jobs; j++) {
            int from = (int) ((long) o.count() * j / jobs);
            if (from <= image) {
                span = new Span(from, Math.min(image + 1 + REPLAY_AFTER, (int) ((long) o.count() * (j + 1) / jobs)));
            }
        }
        return span;
    }

    /** Writes the span's images of the inputs file to {@code part}. */
    private static Path slice(Path inputs, Span span, Design d, Path part) throws IOException {
        int bytesPerImage = d.inputs() * 2;
        try (var ch = java.nio.channels.FileChannel.open(inputs)) {
            ByteBuffer buf = ByteBuffer.allocate(span.count() * bytesPerImage);
            ch.read(buf, (long) span.first() * bytesPerImage);
            return Files.write(part, buf.array());
        }
    }

    /** A temporary folder that goes with the run, also when the process is killed. */
    private static Path tempDir() {
        return Reaper.temporaryFolder("bcflow-sim");
    }

    private static String verilatorVersion(Verilator verilator, Path rtlDir) {
        Path dir = Reaper.temporaryFolder("bcflow-verilator-version");
        try {
            return ExternalTool.run(List.of(verilator.executable().toString(), "--version"), rtlDir.toAbsolutePath(),
                    dir.resolve("version.log"), Duration.ofSeconds(30)).output().strip().replace("Verilator ", "");
        } finally {
            Reaper.deleteTemporaryFolder(dir);
        }
    }

    private static Path writeInputs(LabeledImages images, int count, Path file) throws IOException {
        return writeInputs(images, 0, count, file);
    }

    /** Images [from, to) as the testbenches read them: 16-bit little-endian values. */
    static Path writeInputs(LabeledImages images, int from, int to, Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((to - from) * images.pixelsPerImage() * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < to; i++) {
            for (int v : images.image(i)) {
                buf.putShort((short) v);
            }
        }
        return Files.write(file, buf.array());
    }
}
