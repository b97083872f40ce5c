package org.bcflow.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.Divisors;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.IdxWriter;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;

/**
 * Fuzzes the generator: random networks (sizes including 1, primes and larger ones, random
 * activation widths, random folded batch norm with negative and zero gamma), a random legal
 * folding, extreme and random inputs; each generated, simulated and compared with the reference.
 * A failing case is shrunk (fewer layers, smaller layers, no folding, fewer images) and saved as a
 * folder that {@code bcflow verify --rtl DIR/rtl --data DIR/data} replays.
 */
public final class Fuzzer {
    private static final int[] SIZES = {1, 2, 3, 5, 7, 8, 11, 13, 16, 17, 24, 31, 37, 64, 97, 128};
    private final Verifier verifier;
    private final RtlGenerator generator;
    private final Path workDir;
    private final Consumer<String> log;
    private final int shrinkBudget;
    private final PlantedFaults.Fault fault;  // null: the folders stay as the generator wrote them

    /** One random case: everything needed to regenerate it. */
    public record Case(long seed, int[] sizes, int[] inputBits, List<LayerFolding> folding, boolean ramInput,
                       boolean thresholds, int images) {
        @Override
        public String toString() {
            StringBuilder f = new StringBuilder();
            folding.forEach(x -> f.append(f.length() == 0 ? "" : ",").append(x));
            return "seed " + seed + ", sizes " + Arrays.toString(sizes) + ", input bits " + Arrays.toString(inputBits)
                    + ", folding " + f + ", image in " + (ramInput ? "RAM" : "registers") + ", batch norm "
                    + (thresholds ? "thresholds" : "muladd") + ", " + images + " images";
        }
    }

    /** The campaign's outcome; {@code reproducer} is the saved folder of the first failure, or null. */
    public record Result(int cases, int failures, Case firstFailure, String failure, Path reproducer) {
    }

    /**
     * @param shrinkBudget how many smaller variants a failure may be simulated as, at most (each is a build)
     */
    public Fuzzer(Verifier verifier, RtlGenerator generator, Path workDir, int shrinkBudget, Consumer<String> log) {
        this(verifier, generator, workDir, shrinkBudget, log, null);
    }

    private Fuzzer(Verifier verifier, RtlGenerator generator, Path workDir, int shrinkBudget, Consumer<String> log,
            PlantedFaults.Fault fault) {
        this.fault = fault;
        this.shrinkBudget = shrinkBudget;
        this.verifier = verifier;
        this.generator = generator;
        this.workDir = workDir;
        this.log = log;
    }

    /**
     * The same campaign with a deliberate bug planted in every generated folder (test support, see
     * {@link PlantedFaults}), to show that the campaign catches a broken generator.
     */
    public Fuzzer withPlantedFault(PlantedFaults.Fault planted) {
        return new Fuzzer(verifier, generator, workDir, shrinkBudget, log, planted);
    }

    public Result run(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            Case c = randomCase(rnd.nextLong(), rnd);
            String problem = check(c, workDir.resolve("case"));
            log.accept(String.format("case %d/%d: %s: %s", i + 1, count, c, problem == null ? "ok" : "FAIL " + problem));
            if (problem != null) {
                Case small = shrink(c);
                Path repro = workDir.resolve("failure-" + Long.toUnsignedString(c.seed(), 16));
                save(small, repro);
                String smallProblem = check(small, workDir.resolve("case"));
                log.accept("shrunk to " + small + ": " + smallProblem + "; replay: bcflow verify --rtl " + repro.resolve("rtl")
                        + " --data " + repro.resolve("data"));
                return new Result(i + 1, 1, small, smallProblem, repro);
            }
        }
        return new Result(count, 0, null, null, null);
    }

    static Case randomCase(long seed, SplittableRandom rnd) {
        int layers = 1 + rnd.nextInt(3);
        int[] sizes = new int[layers + 1];
        int[] bits = new int[layers];
        for (int i = 0; i <= layers; i++) {
            sizes[i] = SIZES[rnd.nextInt(SIZES.length)];
        }
        for (int i = 0; i < layers; i++) {
            bits[i] = 1 + rnd.nextInt(8);
        }
        List<LayerFolding> folding = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            folding.add(new LayerFolding(randomDivisor(sizes[i + 1], rnd), randomDivisor(sizes[i], rnd)));
        }
        return new Case(seed, sizes, bits, folding, rnd.nextBoolean(), rnd.nextBoolean(), 8);
    }

    private static int randomDivisor(int n, SplittableRandom rnd) {
        int[] d = Divisors.of(n);
        return d[rnd.nextInt(d.length)];
    }

    static Network network(Case c) {
        return RandomNetwork.create(c.seed(), c.sizes(), c.inputBits());
    }

    /** All 0, all maximum, alternating, then random values in the first layer's input range. */
    static LabeledImages vectors(Case c) {
        int n = c.sizes()[0];
        int max = (1 << c.inputBits()[0]) - 1;
        SplittableRandom rnd = new SplittableRandom(c.seed() ^ 0x5eed);
        byte[] px = new byte[c.images() * n];
        for (int i = 0; i < c.images(); i++) {
            for (int j = 0; j < n; j++) {
                px[i * n + j] = (byte) switch (i) {
                    case 0 -> 0;
                    case 1 -> max;
                    case 2 -> j % 2 == 0 ? max : 0;
                    default -> rnd.nextInt(max + 1);
                };
            }
        }
        int classes = c.sizes()[c.sizes().length - 1];
        byte[] labels = new byte[c.images()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % Math.min(classes, 10)); // IDX data sets here have 10 classes
        }
        return new LabeledImages(c.images(), 1, n, px, labels, Math.max(classes, 1));
    }

    /** Null when hardware and reference agree, else what went wrong. */
    private String check(Case c, Path dir) {
        try {
            Network net = network(c);
            generate(c, net, dir.resolve("rtl"));
            VerifyReport r = verifier.verify(dir.resolve("rtl"), vectors(c), Verifier.Options.of(c.images()));
            if (!r.passed()) {
                return String.join("; ", r.failures());
            }
            return null;
        } catch (org.bcflow.core.BcflowException e) {
            return e.getMessage();
        } finally {
            AtomicFiles.deleteTree(dir);
        }
    }

    /** Greedy shrinking: keep any smaller variant that still fails, until none does. */
    private Case shrink(Case c) {
        boolean progress = true;
        int attempts = 0;
        while (progress && attempts < shrinkBudget) {
            progress = false;
            for (Case smaller : smallerVariants(c)) {
                if (attempts++ >= shrinkBudget) {
                    break;
                }
                if (check(smaller, workDir.resolve("shrink")) != null) {
                    c = smaller;
                    progress = true;
                    break;
                }
            }
        }
        return c;
    }

    private static List<Case> smallerVariants(Case c) {
        List<Case> out = new ArrayList<>();
        int layers = c.sizes().length - 1;
        if (c.images() > 4) {
            out.add(new Case(c.seed(), c.sizes(), c.inputBits(), c.folding(), c.ramInput(), c.thresholds(), 4));
        }
        if (layers > 1) {
            // drop the last layer
            out.add(new Case(c.seed(), Arrays.copyOf(c.sizes(), layers), Arrays.copyOf(c.inputBits(), layers - 1),
                    c.folding().subList(0, layers - 1), c.ramInput(), c.thresholds(), c.images()));
        }
        for (int i = 0; i <= layers; i++) {
            if (c.sizes()[i] > 1) {
                int[] sizes = c.sizes().clone();
                sizes[i] = Math.max(1, sizes[i] / 2);
                out.add(new Case(c.seed(), sizes, c.inputBits(), unfolded(layers), c.ramInput(), c.thresholds(), c.images()));
            }
        }
        if (!c.folding().equals(unfolded(layers))) {
            out.add(new Case(c.seed(), c.sizes(), c.inputBits(), unfolded(layers), c.ramInput(), c.thresholds(), c.images()));
        }
        return out;
    }

    private static List<LayerFolding> unfolded(int layers) {
        List<LayerFolding> f = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            f.add(new LayerFolding(1, 1));
        }
        return f;
    }

    /** The campaign's generator with the case's choice of input buffer and batch norm. */
    private RtlGenerator generator(Case c) {
        return generator.withInputBuffer(c.ramInput() ? org.bcflow.rtlgen.InputBuffer.RAM : org.bcflow.rtlgen.InputBuffer.REGISTERS)
                .withBatchNorm(c.thresholds() ? org.bcflow.rtlgen.BatchNormStyle.THRESHOLDS : org.bcflow.rtlgen.BatchNormStyle.MULADD);
    }

    private void generate(Case c, Network net, Path rtl) {
        org.bcflow.rtlgen.Design design = generator(c).generate(net, new Folding(c.folding()), rtl);
        if (fault != null) {
            fault.plant(net, design, rtl);
        }
    }

    private void save(Case c, Path dir) {
        AtomicFiles.writeFolder(dir, d -> {
            generate(c, network(c), d.resolve("rtl"));
            IdxWriter.writeFolder(vectors(c), d.resolve("data"));
            java.nio.file.Files.writeString(d.resolve("case.txt"), c + "\n");
        });
    }
}
