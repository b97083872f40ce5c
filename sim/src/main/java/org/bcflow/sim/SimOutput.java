package org.bcflow.sim;

import java.math.BigInteger;
import java.util.List;
import org.bcflow.core.BcflowException;

/** What one testbench run printed, parsed; image indices are local to the run. */
final class SimOutput {
    /** The class field of an output with an x or z bit (Icarus testbench). */
    static final String UNKNOWN = "x";
    final int count;
    final long[] inCycle;
    final long[] outCycle;
    final int[] classes;
    final long[][] scores;
    final String[][] tapHex;  // [tap][image], taps of one beat per image
    final long[][] tapCycle;  // [tap][image]: the cycle of the image's (last) beat
    final long[][] tapDigest; // [tap][image], taps of several beats per image
    final java.util.Map<Integer, java.util.TreeMap<Integer, String>> beatHex = new java.util.HashMap<>();  // tapx: tap -> beat -> hex
    final java.util.Map<Integer, java.util.Map<Integer, Long>> beatCycle = new java.util.HashMap<>();
    long totalCycles;

    /** Outputs the run produced: {@code count}, unless it was parsed with {@link #upTo}. */
    final int produced;

    SimOutput(int count, int layers, int classCount, List<String> lines) {
        this(count, layers, classCount, lines, true);
    }

    /** A run that may have stopped early (a cycle limit): its first {@code produced} outputs. */
    static SimOutput upTo(int count, int classCount, List<String> lines) {
        return new SimOutput(count, 0, classCount, lines, false);
    }

    private SimOutput(int count, int layers, int classCount, List<String> lines, boolean requireAll) {
        this.count = count;
        inCycle = new long[count];
        outCycle = new long[count];
        classes = new int[count];
        scores = new long[count][];
        tapHex = new String[layers][count];
        tapCycle = new long[layers][count];
        tapDigest = new long[layers][count];
        int outputs = 0;
        for (String line : lines) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "in" -> inCycle[Integer.parseInt(f[1])] = Long.parseLong(f[2]);
                case "tap" -> {
                    int layer = Integer.parseInt(f[1]);
                    int index = Integer.parseInt(f[2]);
                    if (index < count) {
                        tapCycle[layer][index] = Long.parseLong(f[3]);
                        tapHex[layer][index] = f[4];
                    }
                }
                case "tapd" -> {
                    int layer = Integer.parseInt(f[1]);
                    int index = Integer.parseInt(f[2]);
                    if (index < count) {
                        tapCycle[layer][index] = Long.parseLong(f[3]);
                        tapDigest[layer][index] = Long.parseUnsignedLong(f[4], 16);
                    }
                }
                case "tapx" -> {
                    int layer = Integer.parseInt(f[1]);
                    int beat = Integer.parseInt(f[2]);
                    beatHex.computeIfAbsent(layer, k -> new java.util.TreeMap<>()).put(beat, f[4]);
                    beatCycle.computeIfAbsent(layer, k -> new java.util.HashMap<>()).put(beat, Long.parseLong(f[3]));
                }
                case "out" -> {
                    int i = Integer.parseInt(f[1]);
                    outCycle[i] = Long.parseLong(f[2]);
                    long[] s = new long[classCount];
                    if (f[3].equals(UNKNOWN)) {
                        // an x or z bit: no class and no score can equal the reference's
                        classes[i] = -1;
                        java.util.Arrays.fill(s, Long.MIN_VALUE);
                    } else {
                        classes[i] = Integer.parseInt(f[3]);
                        for (int c = 0; c < classCount; c++) {
                            s[c] = Long.parseLong(f[4 + c]);
                        }
                    }
                    scores[i] = s;
                    outputs++;
                }
                case "done" -> totalCycles = Long.parseLong(f[1]);
                default -> throw new BcflowException("unexpected testbench output: " + line);
            }
        }
        produced = outputs;
        if (requireAll && outputs != count) {
            throw new BcflowException("the hardware produced " + outputs + " outputs for " + count + " images");
        }
    }

    /** Layer output values of one image from its tap: {@code outputs} fields of {@code bits} bits, field 0 lowest. */
    long[] tap(int layer, int image, int outputs, int bits, boolean signed) {
        String hex = tapHex[layer][image];
        if (hex == null) {
            throw new BcflowException("layer " + layer + " handed over no output for image " + image);
        }
        return fields(hex, outputs, bits, signed);
    }

    /** One beat of a pixel stream from a tapx line: {@code outputs} fields, or null if that beat was not logged. */
    long[] beat(int layer, int beat, int outputs, int bits) {
        var beats = beatHex.get(layer);
        String hex = beats == null ? null : beats.get(beat);
        return hex == null ? null : fields(hex, outputs, bits, false);
    }

    static long[] fields(String hex, int outputs, int bits, boolean signed) {
        BigInteger v = org.bcflow.core.Hex.parseUnsigned(hex);
        long[] out = new long[outputs];
        for (int n = 0; n < outputs; n++) {
            long field = 0;
            for (int b = 0; b < bits; b++) {
                if (v.testBit(n * bits + b)) {
                    field |= 1L << b;
                }
            }
            if (signed && bits < 64 && (field >>> (bits - 1) & 1) != 0) {
                field |= -1L << bits;
            }
            out[n] = field;
        }
        return out;
    }
}
