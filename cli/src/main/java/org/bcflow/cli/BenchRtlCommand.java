package org.bcflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.tools.Reaper;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;

/**
 * {@code bcflow bench-rtl}: how long {@code bcflow rtl} takes on a random network of any size,
 * running the same code (read the network file, automatic folding, then
 * {@link RtlGenerator#generate}) in a temporary folder that is deleted afterwards. Plan and ROM
 * packing are also timed on their own, to show where the time goes; the generation itself does
 * both again and writes the files. The reference beside it: the same number of bytes written
 * plainly into the same folder, which no generator can beat.
 */
final class BenchRtlCommand implements Command {
    private static final String EXAMPLE = "784,100000,10";
    private static final Opt<List<Integer>> SIZES = new Opt<>("sizes", "LIST", List.of(784, 100000, 10), EXAMPLE,
            Parse.wholeNumbers(1, Integer.MAX_VALUE, EXAMPLE), "layer sizes, input first, at least two");
    private static final Opt<Integer> SEED = Opt.of("seed", "N", 1, Parse.atLeast(0), "seed of the random network");
    private static final Opt<Integer> REPEAT = Opt.of("repeat", "N", 3, Parse.atLeast(1), "timed generations");

    /** One timed run, in seconds, and the bytes it wrote. */
    private record Run(double read, double folding, double plan, double packing, double generate, long bytes) {
        double total() {
            return read + folding + generate;
        }
    }

    @Override
    public String name() {
        return "bench-rtl";
    }

    @Override
    public String summary() {
        return "time the RTL generator (bcflow rtl, automatic folding) on a random network; prints the median";
    }

    @Override
    public List<Opt<?>> options() {
        return List.of(SIZES, SEED, REPEAT);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        List<Integer> sizeList = SIZES.get(line);
        if (sizeList.size() < 2) {
            throw Parse.refused(SIZES, String.valueOf(sizeList.get(0)), "takes at least two sizes, input first, such as " + EXAMPLE);
        }
        int[] sizes = sizeList.stream().mapToInt(Integer::intValue).toArray();
        long seed = SEED.get(line);
        int repeat = REPEAT.get(line);
        int[] inputBits = new int[sizes.length - 1];
        Arrays.fill(inputBits, InputOptions.DEFAULT_ACTIVATION_BITS);
        inputBits[0] = 8;
        Network net;
        try {
            net = RandomNetwork.create(seed, sizes, inputBits);
        } catch (IllegalArgumentException e) {
            throw new BcflowException("--sizes " + sizeList.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")) + ": " + e.getMessage());
        }
        RtlGenerator generator = new RtlGenerator("bcnet", 1);
        System.out.println("bench-rtl: " + net.describe() + ", seed " + seed + ", folding " + Folding.forInputRate(net, null, null, 1));
        List<Double> totals = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        Path tmp = Reaper.temporaryFolder("bcflow-bench-rtl");
        try {
            Path file = tmp.resolve("network.bcnet");
            NetworkFile.write(net, file);
            for (int r = 1; r <= repeat; r++) {
                Run run = once(generator, file, tmp.resolve("rtl"));
                totals.add(run.total());
                AtomicFiles.deleteTree(tmp.resolve("rtl"));
                double write = plainWrite(tmp.resolve("plain"), run.bytes());
                plain.add(write);
                System.out.println(String.format(Locale.ROOT,
                        "  run %d: %.2f s (read %.2f s, automatic folding %.2f s, generate %.2f s; measured apart: plan %.2f s,"
                                + " ROM packing %.2f s); %.1f MB written, plainly in %.2f s",
                        r, run.total(), run.read(), run.folding(), run.generate(), run.plan(), run.packing(), run.bytes() / 1e6,
                        write));
            }
        } finally {
            Reaper.deleteTemporaryFolder(tmp);
        }
        System.out.println(String.format(Locale.ROOT, "bench-rtl: median %.2f s over %d run%s; the same bytes written plainly:"
                + " median %.2f s (%.1fx)", median(totals), repeat, repeat == 1 ? "" : "s", median(plain),
                median(totals) / Math.max(1e-9, median(plain))));
        return 0;
    }

    /** Seconds to write {@code bytes} bytes into one file and delete it. */
    private static double plainWrite(Path file, long bytes) throws java.io.IOException {
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) '0');
        long t0 = System.nanoTime();
        try (var out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.delete(file);
        return seconds;
    }

    private static Run once(RtlGenerator generator, Path networkFile, Path out) throws java.io.IOException {
        long t0 = System.nanoTime();
        Network net = NetworkFile.read(networkFile);
        long t1 = System.nanoTime();
        Folding folding = Folding.forInputRate(net, null, null, 1);
        long t2 = System.nanoTime();
        Design design = generator.plan(net, folding);
        long t3 = System.nanoTime();
        RtlGenerator.roms(net, design);
        long t4 = System.nanoTime();
        generator.generate(net, folding, out);
        long t5 = System.nanoTime();
        long bytes;
        try (var files = Files.walk(out)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        return new Run((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t5 - t4) / 1e9, bytes);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
