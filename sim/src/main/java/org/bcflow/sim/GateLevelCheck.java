package org.bcflow.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.Reference;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.core.tools.ExternalTool;
import org.bcflow.core.tools.KeptLogs;
import org.bcflow.core.tools.Reaper;
import org.bcflow.rtlgen.Design;

/**
 * Simulates a synthesized netlist of a generated design (a technology-mapped one with its cells'
 * Verilog models, or a generic gate netlist) in Icarus against the Java reference: a mapping or
 * optimisation bug shows here, not on silicon. A netlist keeps only the top module's ports, so
 * what is compared is every image's class and scores (the class alone for a design without the
 * scores port), and the output stream's cycles: the first
 * image's latency and every interval exactly as the cycle model predicts (the testbench never
 * stalls, as in {@link CycleCheck#clean}). A netlist that hangs is stopped at twice the
 * predicted cycles; its missing outputs count as mismatches.
 */
public final class GateLevelCheck {
    /**
     * Which simulator runs the netlist: Icarus takes any cell models (the vendor's primitives with
     * specify blocks, too) but runs a 100,000-cell netlist at about a dozen cycles a second;
     * Verilator runs netlists of plain Verilog (Yosys's generic gate netlists) a thousand times
     * faster after a build of minutes. On qflow's netlists with zero-delay models of the OSU cells
     * Verilator disagreed with the reference where Icarus with the same models agreed (not yet
     * understood, docs/asic.md), so the asic command uses Icarus.
     */
    public enum Simulator {
        ICARUS, VERILATOR
    }

    private final Duration timeout;
    private final int jobs;
    private final Simulator simulator;

    /**
     * @param timeout   limit for each compilation and simulator run
     * @param jobs      simulator processes to split the images over
     * @param simulator which one
     */
    public GateLevelCheck(Duration timeout, int jobs, Simulator simulator) {
        if (jobs < 1) {
            throw new BcflowException("gate-level jobs must be at least 1, got " + jobs);
        }
        this.timeout = timeout;
        this.jobs = jobs;
        this.simulator = simulator;
    }

    /** The simulator, or a one-line error saying how to install it. */
    public static void requireSimulator(Simulator s) {
        if (s == Simulator.ICARUS) {
            Icarus.locate();
        } else {
            Verilator.locate();
        }
    }

    /**
     * Runs {@code count} test images through the netlist.
     *
     * @param rtlDir   the generated design the netlist was synthesized from (design.json, the network)
     * @param netlist  the netlist, then the models of its cells, if any
     */
    public GateLevelReport check(Path rtlDir, List<Path> netlist, LabeledImages images, int count) {
        Design design = Design.read(rtlDir);
        Network net = NetworkFile.read(rtlDir.resolve(design.networkFile()));
        if (design.layers().get(0).conv() != null) {
            throw new BcflowException(rtlDir + ": the gate-level check takes MLP designs only (its cycle check is the"
                    + " MLP's closed form)");
        }
        for (Path p : netlist) {
            if (!Files.isRegularFile(p)) {
                throw new BcflowException("no netlist file " + p);
            }
        }
        InputCheck.check(rtlDir, design, net, images, count);
        CycleCheck model = new CycleCheck(design, net);
        Icarus iverilog = simulator == Simulator.ICARUS ? Icarus.locate() : null;
        Verilator verilator = simulator == Simulator.VERILATOR ? Verilator.locate() : null;
        Reference ref = new Reference(net);
        Reference.Trace[] expected = IntStream.range(0, count).parallel()
                .mapToObj(i -> ref.run(images.image(i))).toArray(Reference.Trace[]::new);

        Path work = Reaper.temporaryFolder("bcflow-gate-level");
        long start = System.nanoTime();
        try {
            String version = iverilog != null ? iverilog.version() : verilatorVersion(verilator, work);
            Path binary = verilator == null ? null : build(verilator, design, netlist, (count + jobs - 1) / jobs, work);
            List<SimOutput> runs = simulate(iverilog, binary, design, images, count, model, netlist, work);
            double seconds = (System.nanoTime() - start) / 1e9;
            int mismatches = 0;
            List<VerifyReport.Mismatch> first = new ArrayList<>();
            List<String> cycleProblems = new ArrayList<>();
            List<Long> intervals = new ArrayList<>();
            long latency = -1;
            int from = 0;
            for (SimOutput out : runs) {
                for (int i = 0; i < out.produced; i++) {
                    Reference.Trace t = expected[from + i];
                    boolean scoresDiffer = design.scoresPort() && !Arrays.equals(out.scores[i], t.scores());
                    if (out.classes[i] != t.predictedClass() || scoresDiffer) {
                        mismatches++;
                        if (first.size() < 10) {
                            first.add(new VerifyReport.Mismatch(from + i, t.predictedClass(), out.classes[i], t.scores(),
                                    out.scores[i]));
                        }
                    }
                }
                if (out.produced < out.count) {
                    mismatches += out.count - out.produced;
                    cycleProblems.add("images " + (from + out.produced) + ".." + (from + out.count - 1)
                            + " produced no output within " + cycleLimit(model, out.count) + " cycles");
                }
                if (out.produced > 0) {
                    long measured = out.outCycle[0] - out.inCycle[0];
                    latency = latency < 0 ? measured : latency;
                    if (measured != model.latency()) {
                        cycleProblems.add("latency predicted " + model.latency() + ", measured " + measured + " (image "
                                + from + ")");
                    }
                }
                for (int k = 1; k < out.produced; k++) {
                    long measured = out.outCycle[k] - out.outCycle[k - 1];
                    intervals.add(measured);
                    if (measured != model.interval()) {
                        cycleProblems.add("interval predicted " + model.interval() + ", measured " + measured
                                + " (between the outputs of images " + (from + k - 1) + " and " + (from + k) + ")");
                    }
                }
                from += out.count;
            }
            cycleProblems.addAll(model.problems());
            long median = intervals.isEmpty() ? 0 : intervals.stream().sorted().toList().get(intervals.size() / 2);
            return new GateLevelReport(version, netlist.stream().map(Path::toString).toList(), count, runs.size(),
                    design.scoresPort(), mismatches, first, model.interval(), median, model.latency(), Math.max(latency, 0),
                    cycleProblems.size() > 10 ? List.copyOf(cycleProblems.subList(0, 10)) : cycleProblems, seconds);
        } catch (IOException e) {
            throw new BcflowException("gate-level simulation I/O failed: " + e.getMessage());
        } catch (BcflowException e) {
            throw KeptLogs.keep(e, work);
        } finally {
            Reaper.deleteTemporaryFolder(work);
        }
    }

    /** Twice the cycles the model predicts for {@code count} images, and a margin: a netlist that needs more hangs. */
    private static long cycleLimit(CycleCheck model, int count) {
        return 2 * (model.latency() + (long) count * model.interval()) + 1000;
    }

    private String verilatorVersion(Verilator verilator, Path work) {
        ExternalTool.Result r = ExternalTool.run(List.of(verilator.executable().toString(), "--version"), work,
                work.resolve("version.log"), Duration.ofSeconds(60));
        return r.output().strip().replaceAll("\\s+rev.*$", "");
    }

    /** One Verilator build of the netlist with the ports-only testbench, for shards of up to {@code capacity} images. */
    private Path build(Verilator verilator, Design d, List<Path> netlist, int capacity, Path work) throws IOException {
        Path tb = work.resolve(IcarusTestbenchWriter.FILE);
        Files.writeString(tb, IcarusTestbenchWriter.writePortsOnly(d));
        Path obj = work.resolve("obj");
        List<String> cmd = new ArrayList<>(List.of(verilator.executable().toString(), "--binary", "--timing",
                "--timescale", "1ns/1ps", "-Wno-fatal", "-Wno-lint", "-Wno-style", "--top-module", IcarusTestbenchWriter.MODULE,
                "-GCOUNT=" + capacity, "-Mdir", obj.toString(), "-j", Integer.toString(jobs)));
        netlist.forEach(p -> cmd.add(p.toAbsolutePath().toString()));
        cmd.add(tb.toString());
        ExternalTool.Result r = ExternalTool.run(cmd, work, work.resolve("verilator-build.log"), timeout);
        Path binary = obj.resolve("V" + IcarusTestbenchWriter.MODULE);
        if (r.exitCode() != 0 || !Files.isExecutable(binary)) {
            String first = r.output().lines().filter(l -> l.startsWith("%Error")).findFirst()
                    .orElse(r.output().lines().reduce((a, b) -> b).orElse("exit " + r.exitCode()));
            throw new BcflowException("Verilator build of the netlist failed: " + first.strip() + " (log: " + r.log() + ")");
        }
        return binary;
    }

    private List<SimOutput> simulate(Icarus iverilog, Path binary, Design d, LabeledImages images, int count, CycleCheck model,
            List<Path> netlist, Path work) throws IOException {
        int n = Math.min(jobs, count);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<SimOutput>> futures = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                int from = (int) ((long) count * j / n);
                int to = (int) ((long) count * (j + 1) / n);
                Path dir = work.resolve("shard-" + j);
                Files.createDirectories(dir);
                Path inputs = Verifier.writeInputs(images, from, to, dir.resolve("inputs.bin"));
                futures.add(pool.submit(() -> {
                    Path out = dir.resolve("outputs.txt");
                    long limit = cycleLimit(model, to - from);
                    if (iverilog != null) {
                        iverilog.runNetlist(netlist, d, inputs, to - from, limit, out, dir, timeout);
                    } else {
                        Path hex = Icarus.writeHex(inputs, dir.resolve("inputs.hex"));
                        ExternalTool.Result r = ExternalTool.run(List.of(binary.toString(), "+in=" + hex, "+out=" + out,
                                "+count=" + (to - from), "+max_cycles=" + limit), dir, dir.resolve("run.log"), timeout);
                        if (r.exitCode() != 0) {
                            throw new BcflowException("Verilator simulation of the netlist failed (exit " + r.exitCode() + "): "
                                    + r.output().lines().findFirst().orElse("no output") + " (log: " + r.log() + ")");
                        }
                    }
                    return SimOutput.upTo(to - from, d.classes(), Files.readAllLines(out));
                }));
            }
            List<SimOutput> runs = new ArrayList<>();
            for (Future<SimOutput> f : futures) {
                runs.add(f.get());
            }
            return runs;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BcflowException b) {
                throw b;
            }
            throw new BcflowException("gate-level simulation failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BcflowException("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }
}
