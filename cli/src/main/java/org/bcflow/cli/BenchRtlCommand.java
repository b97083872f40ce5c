package org.bcflow.cli;

import static org.bcflow.cli.Main.intValue;
import static org.bcflow.cli.Main.opt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;

/**
 * {@code bcflow bench-rtl}: how long {@code bcflow rtl} takes on a random network of any size,
 * running the same code (automatic folding, then {@link RtlGenerator#generate}) into a temporary
 * folder that is deleted afterwards. Plan and ROM packing are also timed on their own, to show
 * where the time goes; the generation itself does both again and writes the files.
 */
final class BenchRtlCommand implements Command {
    private static final String DEFAULT_SIZES = "784,100000,10";

    /** One timed run, in seconds. */
    private record Run(double folding, double plan, double packing, double generate) {
        double total() {
            return folding + generate;
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
    public Options options() {
        Options o = new Options();
        o.addOption(opt("sizes", "LIST", "layer sizes, input first (default " + DEFAULT_SIZES + ")"));
        o.addOption(opt("seed", "N", "seed of the random network (default 1)"));
        o.addOption(opt("repeat", "N", "timed generations (default 3)"));
        return o;
    }

    @Override
    public int run(CommandLine line) throws Exception {
        int[] sizes = sizes(line.getOptionValue("sizes", DEFAULT_SIZES));
        long seed = intValue(line, "seed", 1, 0);
        int repeat = intValue(line, "repeat", 3, 1);
        int[] inputBits = new int[sizes.length - 1];
        Arrays.fill(inputBits, CommonOptions.DEFAULT_ACTIVATION_BITS);
        inputBits[0] = 8;
        Network net;
        try {
            net = RandomNetwork.create(seed, sizes, inputBits);
        } catch (IllegalArgumentException e) {
            throw new BcflowException("--sizes " + line.getOptionValue("sizes", DEFAULT_SIZES) + ": " + e.getMessage());
        }
        RtlGenerator generator = new RtlGenerator("bcnet", 1);
        System.out.println("bench-rtl: " + net.describe() + ", seed " + seed + ", folding " + Folding.parse(net, null, null, 1));
        List<Double> totals = new ArrayList<>();
        Path tmp = Files.createTempDirectory("bcflow-bench-rtl");
        try {
            for (int r = 1; r <= repeat; r++) {
                Run run = once(generator, net, tmp.resolve("rtl"));
                totals.add(run.total());
                System.out.println(String.format(Locale.ROOT,
                        "  run %d: %.2f s (automatic folding %.2f s, generate %.2f s; measured apart: plan %.2f s, ROM packing %.2f s)",
                        r, run.total(), run.folding(), run.generate(), run.plan(), run.packing()));
            }
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
        System.out.println(String.format(Locale.ROOT, "bench-rtl: median %.2f s over %d run%s", median(totals), repeat,
                repeat == 1 ? "" : "s"));
        return 0;
    }

    private static Run once(RtlGenerator generator, Network net, Path out) {
        long t0 = System.nanoTime();
        Folding folding = Folding.parse(net, null, null, 1);
        long t1 = System.nanoTime();
        Design design = generator.plan(net, folding);
        long t2 = System.nanoTime();
        RtlGenerator.roms(net, design);
        long t3 = System.nanoTime();
        generator.generate(net, folding, out);
        long t4 = System.nanoTime();
        return new Run((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9);
    }

    private static int[] sizes(String list) throws ParseException {
        String[] parts = list.split(",");
        if (parts.length < 2) {
            throw new ParseException("--sizes takes at least two sizes, input first, such as " + DEFAULT_SIZES + ", got '" + list + "'");
        }
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new ParseException("--sizes takes whole numbers such as " + DEFAULT_SIZES + ", got '" + list + "'");
            }
            if (out[i] < 1) {
                throw new ParseException("--sizes must all be at least 1, got '" + list + "'");
            }
        }
        return out;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
