package org.bcflow.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.Reference;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Design;

/**
 * Runs a generated design in Verilator on test images and compares every output, class and
 * scores, with the Java reference interpreter of the network the design was generated from.
 */
public final class Verifier {
    private final Path cacheRoot;
    private final Duration timeout;

    /**
     * @param cacheRoot folder for cached Verilator builds
     * @param timeout   limit for each of build and run
     */
    public Verifier(Path cacheRoot, Duration timeout) {
        this.cacheRoot = cacheRoot;
        this.timeout = timeout;
    }

    public static Path defaultCache() {
        return org.bcflow.core.data.Datasets.cacheRoot().resolve("verilator");
    }

    /** Verifies the design in {@code rtlDir} on the first {@code count} images. */
    public VerifyReport verify(Path rtlDir, LabeledImages images, int count) {
        Design design = Design.read(rtlDir);
        Network net = NetworkFile.read(rtlDir.resolve(design.networkFile()));
        if (!net.hash().equals(design.networkHash())) {
            throw new BcflowException(rtlDir + ": the RTL was generated from network " + design.networkHash().substring(0, 12)
                    + " but " + design.networkFile() + " is " + net.hash().substring(0, 12));
        }
        if (images.pixelsPerImage() != net.inputSize()) {
            throw new BcflowException("the images have " + images.pixelsPerImage() + " pixels, the network takes "
                    + net.inputSize());
        }
        if (count < 1 || count > images.count()) {
            throw new BcflowException("cannot verify " + count + " images: the test set has " + images.count());
        }
        Verilator verilator = Verilator.locate();
        String version = ProcessRunner.run(List.of(verilator.executable().toString(), "--version"), rtlDir.toAbsolutePath(),
                scratchLog(), Duration.ofSeconds(30)).output().strip();
        Verilator.Build build = verilator.build(rtlDir, design.verilogFiles(), design.top(), TestbenchWriter.write(design),
                cacheRoot, timeout);

        Reference ref = new Reference(net);
        Reference.Trace[] expected = IntStream.range(0, count).parallel()
                .mapToObj(i -> ref.run(images.image(i))).toArray(Reference.Trace[]::new);

        Path work = null;
        try {
            work = Files.createTempDirectory("bcflow-sim");
            Path inputs = work.resolve("inputs.bin");
            writeInputs(images, count, inputs);
            Path outputs = work.resolve("outputs.txt");
            long start = System.nanoTime();
            ProcessRunner.Result run = ProcessRunner.run(List.of(build.binary().toString(), inputs.toString(),
                    outputs.toString(), Integer.toString(count)), rtlDir.toAbsolutePath(), work.resolve("run.log"), timeout);
            double simSeconds = (System.nanoTime() - start) / 1e9;
            String problem = run.output().lines().filter(l -> l.startsWith("%Warning") || l.startsWith("%Error"))
                    .findFirst().orElse(null);
            if (problem != null) {
                throw new BcflowException("simulation of " + rtlDir + " reported: " + problem.strip());
            }
            if (run.exitCode() != 0) {
                throw new BcflowException("simulation failed (exit " + run.exitCode() + "): "
                        + run.output().lines().findFirst().orElse("no output"));
            }
            return compare(design, images, expected, Files.readAllLines(outputs), "Verilator " + version.replace("Verilator ", ""),
                    build, simSeconds);
        } catch (IOException e) {
            throw new BcflowException("simulation I/O failed: " + e.getMessage());
        } finally {
            if (work != null) {
                AtomicFiles.deleteTree(work);
            }
        }
    }

    private static Path scratchLog() {
        try {
            Path f = Files.createTempFile("bcflow-verilator-version", ".log");
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new BcflowException("cannot create a temporary file: " + e.getMessage());
        }
    }

    private static void writeInputs(LabeledImages images, int count, Path file) throws IOException {
        int n = images.pixelsPerImage();
        ByteBuffer buf = ByteBuffer.allocate(count * n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            for (int v : images.image(i)) {
                buf.putShort((short) v);
            }
        }
        Files.write(file, buf.array());
    }

    private static VerifyReport compare(Design d, LabeledImages images, Reference.Trace[] expected, List<String> lines,
            String simulator, Verilator.Build build, double simSeconds) {
        int count = expected.length;
        long[] inCycle = new long[count];
        long[] outCycle = new long[count];
        int outputs = 0;
        long total = 0;
        int mismatches = 0;
        int refCorrect = 0;
        int hwCorrect = 0;
        List<VerifyReport.Mismatch> first = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "in" -> inCycle[Integer.parseInt(f[1])] = Long.parseLong(f[2]);
                case "out" -> {
                    int i = Integer.parseInt(f[1]);
                    outCycle[i] = Long.parseLong(f[2]);
                    int cls = Integer.parseInt(f[3]);
                    long[] scores = new long[d.classes()];
                    for (int c = 0; c < scores.length; c++) {
                        scores[c] = Long.parseLong(f[4 + c]);
                    }
                    Reference.Trace t = expected[i];
                    if (cls != t.predictedClass() || !Arrays.equals(scores, t.scores())) {
                        mismatches++;
                        if (first.size() < 10) {
                            first.add(new VerifyReport.Mismatch(i, t.predictedClass(), cls, t.scores(), scores));
                        }
                    }
                    refCorrect += t.predictedClass() == images.label(i) ? 1 : 0;
                    hwCorrect += cls == images.label(i) ? 1 : 0;
                    outputs++;
                }
                case "done" -> total = Long.parseLong(f[1]);
                default -> throw new BcflowException("unexpected testbench output: " + line);
            }
        }
        if (outputs != count) {
            throw new BcflowException("the hardware produced " + outputs + " outputs for " + count + " images");
        }
        long[] intervals = new long[Math.max(0, count - 1)];
        for (int i = 1; i < count; i++) {
            intervals[i - 1] = outCycle[i] - outCycle[i - 1];
        }
        long median = 0;
        long min = 0;
        long max = 0;
        if (intervals.length > 0) {
            // after the pipeline has filled: skip one interval per stage, but keep at least one
            int skip = Math.min(d.layers().size() + 1, intervals.length - 1);
            long[] steady = Arrays.copyOfRange(intervals, skip, intervals.length);
            Arrays.sort(steady);
            median = steady[steady.length / 2];
            min = steady[0];
            max = steady[steady.length - 1];
        }
        return new VerifyReport(simulator, count, mismatches, refCorrect / (double) count, hwCorrect / (double) count,
                d.intervalCycles(), median, min, max, d.latencyCycles(), outCycle[0] - inCycle[0], total,
                build.seconds(), build.cached(), simSeconds, first);
    }
}
