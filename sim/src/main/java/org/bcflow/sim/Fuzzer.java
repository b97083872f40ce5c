package org.bcflow.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.Architecture;
import org.bcflow.core.Divisors;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.IdxWriter;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;

/**
 * Fuzzes the generator: random networks (MLPs with sizes including 1, primes and larger ones, and
 * conv networks: kernels 1 to 5, same and valid padding, 1 to 32 channels, odd and even map sizes,
 * max-pools, a dense layer or none before the scores; random activation widths, random folded
 * batch norm with negative and zero gamma), a random legal folding, extreme and random inputs;
 * each generated, simulated and compared with the reference.
 * A failing case is shrunk (fewer layers, smaller layers, no folding, fewer images) and saved as a
 * folder that {@code bcflow verify --rtl DIR/rtl --data DIR/data} replays.
 */
public final class Fuzzer {
    private static final int[] SIZES = {1, 2, 3, 5, 7, 8, 11, 13, 16, 17, 24, 31, 37, 64, 97, 128};
    private static final int[] CHANNELS = {1, 2, 3, 4, 5, 7, 8, 16, 32};
    private final Verifier verifier;
    private final RtlGenerator generator;
    private final Path workDir;
    private final Consumer<String> log;
    private final int shrinkBudget;
    private final PlantedFaults.Fault fault;  // null: the folders stay as the generator wrote them

    /**
     * One random case: everything needed to regenerate it. An MLP has {@code sizes} (input first)
     * and no {@code arch}; a conv network has its input map and architecture, and no sizes.
     */
    public record Case(long seed, int[] sizes, int[] inputBits, List<LayerFolding> folding, boolean ramInput,
                       boolean thresholds, int images, FeatureMap input, String arch) {
        public Case(long seed, int[] sizes, int[] inputBits, List<LayerFolding> folding, boolean ramInput, boolean thresholds,
                int images) {
            this(seed, sizes, inputBits, folding, ramInput, thresholds, images, null, null);
        }

        boolean conv() {
            return arch != null;
        }

        /**
         * Whether the network gets the stages imported models have (an input quantizer on 8-bit
         * values, layers of explicit thresholds: {@link RandomNetwork#withImportedStages}): a
         * quarter of the cases whose batch norm is thresholds, chosen by the seed so that the
         * campaign's draws, and so every earlier seed's cases, stay as they were.
         */
        boolean importedStages() {
            return thresholds && Math.floorMod(seed, 4) == 0;
        }

        Case withImages(int n) {
            return new Case(seed, sizes, inputBits, folding, ramInput, thresholds, n, input, arch);
        }

        Case withFolding(List<LayerFolding> f) {
            return new Case(seed, sizes, inputBits, f, ramInput, thresholds, images, input, arch);
        }

        @Override
        public String toString() {
            StringBuilder f = new StringBuilder();
            folding.forEach(x -> f.append(f.length() == 0 ? "" : ",").append(x));
            return "seed " + seed + (conv() ? ", " + arch + " on " + input : ", sizes " + Arrays.toString(sizes))
                    + ", input bits " + Arrays.toString(inputBits)
                    + ", folding " + f + ", image in " + (ramInput ? "RAM" : "registers") + ", batch norm "
                    + (thresholds ? "thresholds" : "muladd") + (importedStages() ? ", imported stages" : "") + ", " + images + " images";
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
        List<Case> cases = cases(count, seed);
        for (int i = 0; i < count; i++) {
            Case c = cases.get(i);
            String problem = check(c, workDir.resolve("case"));
            log.accept(String.format("case %d/%d: %s: %s", i + 1, count, c, problem == null ? "ok" : "FAIL " + problem));
            if (problem != null) {
                return failed(i + 1, c);
            }
        }
        return new Result(count, 0, null, null, null);
    }

    /**
     * The campaign's cases, in order: case i is the same whoever draws it, so a campaign can be
     * run case by case in separate processes (array tasks) and still be the campaign of this seed.
     */
    public static List<Case> cases(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(randomCase(rnd.nextLong(), rnd));
        }
        return out;
    }

    /**
     * A campaign's first failure, after {@code cases} cases: shrunk, saved as a reproducer and
     * checked again; for a campaign whose cases ran elsewhere too.
     */
    public Result failed(int cases, Case c) {
        Case small = shrink(c);
        Path repro = workDir.resolve("failure-" + Long.toUnsignedString(c.seed(), 16));
        save(small, repro);
        String smallProblem = check(small, workDir.resolve("case"));
        log.accept("shrunk to " + small + ": " + smallProblem + "; replay: bcflow verify --rtl " + repro.resolve("rtl")
                + " --data " + repro.resolve("data"));
        return new Result(cases, 1, small, smallProblem, repro);
    }

    /** Half the cases are conv networks, half MLPs. */
    static Case randomCase(long seed, SplittableRandom rnd) {
        return rnd.nextBoolean() ? randomConvCase(seed, rnd) : randomMlpCase(seed, rnd);
    }

    static Case randomMlpCase(long seed, SplittableRandom rnd) {
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

    /**
     * A conv network on a map of 1 to 3 channels, 3 to 11 pixels each way: one or two conv layers
     * (kernel 1 to 5, same padding when odd and drawn so, else valid), each followed by a max-pool
     * when drawn and a size divides the map, sometimes a hidden dense layer, then 2 to 10 scores.
     */
    static Case randomConvCase(long seed, SplittableRandom rnd) {
        FeatureMap input = new FeatureMap(1 + rnd.nextInt(3), 3 + rnd.nextInt(9), 3 + rnd.nextInt(9));
        List<String> tokens = new ArrayList<>();
        FeatureMap map = input;
        int convs = 1 + rnd.nextInt(2);
        for (int i = 0; i < convs; i++) {
            int k = 1 + rnd.nextInt(Math.min(5, Math.min(map.height(), map.width())));
            boolean same = k % 2 == 1 && rnd.nextBoolean();
            int channels = CHANNELS[rnd.nextInt(CHANNELS.length)];
            tokens.add(channels + "C" + k + (same ? "" : "v"));
            map = same ? new FeatureMap(channels, map.height(), map.width())
                    : new FeatureMap(channels, map.height() - k + 1, map.width() - k + 1);
            if (rnd.nextBoolean()) {
                for (int p : new int[] {2 + rnd.nextInt(2), 2}) {
                    if (map.height() % p == 0 && map.width() % p == 0) {
                        tokens.add("MP" + p);
                        map = new FeatureMap(map.channels(), map.height() / p, map.width() / p);
                        break;
                    }
                }
            }
        }
        if (rnd.nextInt(3) == 0) {
            tokens.add(SIZES[1 + rnd.nextInt(8)] + "FC");
        }
        tokens.add(Integer.toString(2 + rnd.nextInt(9)));
        String arch = String.join("-", tokens);
        int weightLayers = (int) tokens.stream().filter(t -> !t.startsWith("MP")).count();
        int[] bits = new int[weightLayers];
        for (int i = 0; i < weightLayers; i++) {
            bits[i] = 1 + rnd.nextInt(8);
        }
        Network net = RandomNetwork.create(seed, input, Architecture.parse(arch), bits);
        List<LayerFolding> folding = new ArrayList<>();
        for (int i = 0; i < weightLayers; i++) {
            var l = net.layer(i);
            // a conv layer draws from every divisor, so both window units come up; the dense layers
            // after it take the generator's rule for a map taken pixel by pixel
            int[] simds = i < convs ? Divisors.of(l.inputs()) : Folding.simdChoices(net, i);
            int simd = simds[rnd.nextInt(simds.length)];  // drawn before PE: the seeds' cases stay as measured
            folding.add(new LayerFolding(randomDivisor(l.outputs(), rnd), simd));
        }
        return new Case(seed, new int[0], bits, folding, false, rnd.nextBoolean(), 6, input, arch);
    }

    private static int randomDivisor(int n, SplittableRandom rnd) {
        int[] d = Divisors.of(n);
        return d[rnd.nextInt(d.length)];
    }

    static Network network(Case c) {
        Network net = c.conv() ? RandomNetwork.create(c.seed(), c.input(), Architecture.parse(c.arch()), c.inputBits())
                : RandomNetwork.create(c.seed(), c.sizes(), c.inputBits());
        return c.importedStages() ? RandomNetwork.withImportedStages(net, c.seed(), RAW_BITS) : net;
    }

    /** Bits of the raw input values of a case with an input quantizer. */
    private static final int RAW_BITS = 8;

    /** All 0, all maximum, alternating, then random values in the first layer's input range. */
    static LabeledImages vectors(Case c) {
        Network net = c.conv() ? network(c) : null;
        int n = c.conv() ? net.inputSize() : c.sizes()[0];
        int max = (1 << (c.importedStages() ? RAW_BITS : c.inputBits()[0])) - 1;
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
        int classes = c.conv() ? net.classes() : c.sizes()[c.sizes().length - 1];
        byte[] labels = new byte[c.images()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % Math.min(classes, 10)); // IDX data sets here have 10 classes
        }
        return new LabeledImages(c.images(), 1, n, px, labels, Math.max(classes, 1));
    }

    /** Null when hardware and reference agree, else what went wrong; {@code dir} is scratch space, removed after. */
    public String check(Case c, Path dir) {
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
        if (c.images() > 4) {
            out.add(c.withImages(4));
        }
        if (c.conv()) {
            if (!c.folding().equals(unfolded(c.folding().size()))) {
                out.add(c.withFolding(unfolded(c.folding().size())));
            }
            return out;
        }
        int layers = c.sizes().length - 1;
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
