package org.bcflow.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network architecture in the notation of the BinaryConnect paper, e.g.
 * {@code 2x128C3-MP2-2x256C3-MP2-2x512C3-MP2-2x1024FC-10}. Tokens, joined by {@code -}:
 * <ul>
 *   <li>{@code NCk}: convolution, N output channels, k x k kernel, stride 1, same (zero) padding;
 *       {@code NCkv}: the same with valid padding;</li>
 *   <li>{@code MPp}: p x p max-pool, stride p;</li>
 *   <li>{@code NFC}: dense layer of N units;</li>
 *   <li>the last token, a plain number: the class count (the output dense layer);</li>
 *   <li>{@code Rx} before a token repeats it R times.</li>
 * </ul>
 * Hidden conv and dense layers are followed by batch norm and the activation; a max-pool acts on
 * activations (docs/contract.md says why this order).
 *
 * @param blocks  the layers before the output layer, repeats expanded
 * @param classes the class count
 */
public record Architecture(List<Block> blocks, int classes) {

    /** One layer of the notation; {@code token} is the text it came from, for messages. */
    public sealed interface Block permits Conv, Pool, Dense {
        String token();
    }

    public record Conv(String token, int channels, int k, Padding padding) implements Block {
    }

    public record Pool(String token, int p) implements Block {
    }

    public record Dense(String token, int units) implements Block {
    }

    private static final Pattern REPEAT = Pattern.compile("(\\d+)x(.+)");
    private static final Pattern CONV = Pattern.compile("(\\d+)C(\\d+)(v?)");
    private static final Pattern POOL = Pattern.compile("MP(\\d+)");
    private static final Pattern DENSE = Pattern.compile("(\\d+)FC");
    private static final int MAX_REPEAT = 64;

    public Architecture {
        blocks = List.copyOf(blocks);
        if (classes < 2) {
            throw new IllegalArgumentException("the class count must be at least 2, got " + classes);
        }
    }

    /** The MLP of {@code --hidden}: dense layers of these sizes, then the classes. */
    public static Architecture mlp(int[] hidden, int classes) {
        List<Block> b = new ArrayList<>();
        for (int h : hidden) {
            b.add(new Dense(h + "FC", h));
        }
        return new Architecture(b, classes);
    }

    /** Parses the notation; a bad spec is an IllegalArgumentException of one line naming the token and why. */
    public static Architecture parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty architecture (expected e.g. 32C3-MP2-64C3-MP2-512FC-10)");
        }
        String[] tokens = spec.trim().split("-", -1);
        List<Block> blocks = new ArrayList<>();
        for (int t = 0; t < tokens.length - 1; t++) {
            String token = tokens[t].trim();
            int repeat = 1;
            String body = token;
            Matcher r = REPEAT.matcher(token);
            if (r.matches()) {
                repeat = number(r.group(1), token, "repeat count");
                body = r.group(2);
                if (repeat < 1 || repeat > MAX_REPEAT) {
                    throw bad(token, "the repeat count must be 1.." + MAX_REPEAT);
                }
            }
            Block b = block(token, body);
            for (int i = 0; i < repeat; i++) {
                blocks.add(b);
            }
        }
        String last = tokens[tokens.length - 1].trim();
        if (!last.matches("\\d+")) {
            throw bad(last, "the last token must be the class count, a plain number");
        }
        int classes = number(last, last, "class count");
        if (classes < 2) {
            throw bad(last, "a classifier needs at least 2 classes");
        }
        return new Architecture(blocks, classes);
    }

    private static Block block(String token, String body) {
        Matcher m;
        if ((m = CONV.matcher(body)).matches()) {
            int n = positive(m.group(1), token, "channels");
            int k = positive(m.group(2), token, "kernel size");
            Padding padding = m.group(3).isEmpty() ? Padding.SAME : Padding.VALID;
            if (padding == Padding.SAME && k % 2 == 0) {
                throw bad(token, "same padding needs an odd kernel (write " + n + "C" + k + "v for valid padding)");
            }
            return new Conv(token, n, k, padding);
        }
        if ((m = POOL.matcher(body)).matches()) {
            return new Pool(token, positive(m.group(1), token, "pool size"));
        }
        if ((m = DENSE.matcher(body)).matches()) {
            return new Dense(token, positive(m.group(1), token, "units"));
        }
        if (body.isEmpty()) {
            throw bad(token, "empty token (two dashes in a row?)");
        }
        throw bad(token, "not a layer (NCk conv, NCkv valid conv, MPp max-pool, NFC dense, Rx repeat)");
    }

    private static int positive(String digits, String token, String what) {
        int v = number(digits, token, what);
        if (v < 1) {
            throw bad(token, what + " must be at least 1, got " + v);
        }
        return v;
    }

    private static int number(String digits, String token, String what) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw bad(token, what + " " + digits + " is too large");
        }
    }

    private static IllegalArgumentException bad(String token, String why) {
        return new IllegalArgumentException("token '" + token + "': " + why);
    }

    /** True when there are dense layers only. */
    public boolean isMlp() {
        return blocks.stream().allMatch(b -> b instanceof Dense);
    }

    /** The hidden sizes of an MLP. */
    public int[] hidden() {
        return blocks.stream().mapToInt(b -> b instanceof Dense d ? d.units() : -1).toArray();
    }

    /**
     * The shape after each block for this input (one entry per block, then the output vector);
     * a block that does not fit is an IllegalArgumentException naming its token and why.
     */
    public List<FeatureMap> shapes(FeatureMap input) {
        List<FeatureMap> out = new ArrayList<>();
        FeatureMap map = input;
        for (Block b : blocks) {
            if (b instanceof Conv c) {
                int pad = c.padding() == Padding.SAME ? (c.k() - 1) / 2 : 0;
                int h = map.height() + 2 * pad - c.k() + 1;
                int w = map.width() + 2 * pad - c.k() + 1;
                if (c.k() > map.height() || c.k() > map.width() || h < 1 || w < 1) {
                    throw bad(c.token(), "a " + c.k() + "x" + c.k() + " kernel is larger than its " + map.height() + "x" + map.width() + " input");
                }
                map = new FeatureMap(c.channels(), h, w);
            } else if (b instanceof Pool p) {
                if (map.height() % p.p() != 0 || map.width() % p.p() != 0) {
                    throw bad(p.token(), "a " + p.p() + "x" + p.p() + " pool does not divide its " + map.height() + "x" + map.width() + " input");
                }
                map = new FeatureMap(map.channels(), map.height() / p.p(), map.width() / p.p());
            } else if (b instanceof Dense d) {
                map = FeatureMap.vector(d.units());
            }
            out.add(map);
        }
        out.add(FeatureMap.vector(classes));
        return out;
    }

    /** The canonical notation: repeats written out, e.g. {@code 32C3-MP2-64C3-MP2-512FC-10}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            if (b instanceof Conv c) {
                sb.append(c.channels()).append('C').append(c.k()).append(c.padding() == Padding.VALID ? "v" : "");
            } else if (b instanceof Pool p) {
                sb.append("MP").append(p.p());
            } else if (b instanceof Dense d) {
                sb.append(d.units()).append("FC");
            }
            sb.append('-');
        }
        return sb.append(classes).toString();
    }
}
