package org.bcflow.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.ParseException;

/**
 * Named configurations of {@code bcflow flow} that the README documents, each with the figures it
 * was measured to give: {@code flow --preset NAME} stands for the preset's options, and options
 * given beside it override them ({@code bcflow presets} lists them).
 *
 * <p>A preset is the options as the user would type them, put after the user's own: an option's
 * first occurrence is the one read ({@link Opt#get}), so the user's win.
 */
final class Presets {
    /** A configuration: what it is for, the flow options it stands for, and what it was measured to give. */
    record Preset(String name, String summary, List<String> options, String expected) {
    }

    static final Map<String, Preset> ALL = byName(
            new Preset("hx8k-mlp", "MNIST on an iCE40 HX8K: 784-128-10, 2-bit activations, the fastest folding that fits",
                    List.of("--hidden", "128", "--epochs", "100", "--lr-start", "0.003", "--lr-end", "0.000002",
                            "--act-bits", "2", "--fit", "hx8k", "--no-scores", "--synth"),
                    "97.13% hardware-exact MNIST test accuracy, 52,900 images/s placed and routed (6,320 of 7,680"
                            + " logic cells, 32 of 32 block RAMs, 83.4 MHz); about 2 min 30 s on 2 cores (2026-11-25)"),
            new Preset("hx8k-cnn", "MNIST on an iCE40 HX8K with a CNN: 16C3-MP2-16C3-MP2-32C3v-32C3v-10, 2-bit activations,"
                    + " the fastest folding that fits",
                    List.of("--arch", "16C3-MP2-16C3-MP2-32C3v-32C3v-10", "--epochs", "15", "--train-act-bits", "2",
                            "--act-bits", "2", "--lr-start", "0.003", "--lr-end", "0.000002", "--augment-shift", "2",
                            "--fit", "hx8k", "--no-scores", "--synth"),
                    "98.24% hardware-exact MNIST test accuracy, 1,594 images/s placed and routed (7,043 of 7,680 logic"
                            + " cells, 18 of 32 block RAMs, 45.0 MHz, 28,251 cycles per image), 0 mismatches over 10,000"
                            + " images; about 8 minutes on 2 cores (2026-12-01). Issue 12's target (98.8% at 10,000"
                            + " images/s) is not met: docs/results.md"),
            new Preset("paper-mnist-mlp", "the paper's permutation-invariant MNIST MLP, 784-1024x3-10, 4-bit activations",
                    List.of("--hidden", "1024,1024,1024", "--epochs", "100", "--lr-start", "0.003", "--lr-end", "0.000002"),
                    "98.84% hardware-exact MNIST test accuracy (the paper: 98.71% after 1000 epochs), 784 cycles"
                            + " per image, 0 mismatches over 10,000 images in Verilator; about 18 minutes on 2 cores"
                            + " (training 17, verification 77 s) (2026-12-01)"),
            new Preset("paper-cifar10", "the paper's CIFAR-10 network, 2x128C3-MP2-2x256C3-MP2-2x512C3-MP2-2x1024FC-10, 2-bit"
                    + " activations, folded to about 900,000 cycles per image so that Verilator checks a few images in"
                    + " minutes; data from --data cifar10 DIR",
                    List.of("--arch", "2x128C3-MP2-2x256C3-MP2-2x512C3-MP2-2x1024FC-10", "--data", "cifar10", "--epochs", "500",
                            "--train-act-bits", "2", "--act-bits", "2", "--lr-start", "0.003", "--lr-end", "0.000002",
                            "--target-cycles", "1000000", "--count", "4", "--jobs", "2"),
                    "884,736 cycles per image (latency 2,274,839); 4 test images bit- and cycle-exact in Verilator in about"
                            + " 35 s; estimate 37,157 LUT6, 47,839 flip-flops, 510 RAMB36 (an xc7vx485t; no iCE40); on a"
                            + " synthetic CIFAR-10 folder with --epochs 1 the whole flow takes a minute, the paper's 500"
                            + " epochs about 4.6 days on 2 cores (2026-12-01)"));

    static final Opt<String> PRESET = Opt.of("preset", "NAME", null, Parse.choice(names()),
            "a configuration the README documents (bcflow presets lists them); options given beside it override its own");

    private Presets() {
    }

    private static Map<String, Preset> byName(Preset... presets) {
        Map<String, Preset> m = new LinkedHashMap<>();
        for (Preset p : presets) {
            m.put(p.name(), p);
        }
        return m;
    }

    private static Map<String, String> names() {
        Map<String, String> m = new LinkedHashMap<>();
        ALL.keySet().forEach(n -> m.put(n, n));
        return m;
    }

    /**
     * The arguments with {@code --preset NAME} (or {@code --preset=NAME}) replaced by the preset's
     * options, after the others; the arguments as they are without one.
     */
    static String[] expand(String[] args) throws ParseException {
        List<String> rest = new ArrayList<>();
        String name = null;
        String flag = "--" + PRESET.name();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(flag) || args[i].startsWith(flag + "=")) {
                if (name != null) {
                    throw new ParseException(flag + " is given twice");
                }
                if (args[i].equals(flag)) {
                    if (i + 1 == args.length) {
                        throw new ParseException(flag + " takes " + PRESET.arg());
                    }
                    name = args[++i];
                } else {
                    name = args[i].substring(flag.length() + 1);
                }
            } else {
                rest.add(args[i]);
            }
        }
        if (name == null) {
            return args;
        }
        rest.addAll(ALL.get(PRESET.parser().parse(flag, name)).options());
        return rest.toArray(String[]::new);
    }

    /** The preset's command line, as {@code bcflow presets} shows it. */
    static String commandLine(Preset p) {
        return "bcflow flow " + String.join(" ", p.options());
    }
}
