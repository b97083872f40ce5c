package org.bcflow.rtlgen;

/**
 * Block RAM arithmetic of the default target, the iCE40's SB_RAM40_4K: 4 Kbit blocks as
 * 256x16, 512x8, 1024x4 or 2048x2. The generator puts a memory into block RAM only when it
 * fills at least {@value #MIN_FILL} of the blocks it takes; anything smaller or badly shaped
 * goes into logic, where it costs LUTs instead of mostly empty blocks.
 */
public final class BlockRam {
    public static final int BLOCK_BITS = 4096;
    static final int[][] ICE40_SHAPES = {{256, 16}, {512, 8}, {1024, 4}, {2048, 2}};
    public static final double MIN_FILL = 0.5;

    private BlockRam() {
    }

    /** Blocks for depth x width in the cheapest aspect ratio: min over shapes of ceil(W/w) * ceil(D/d). */
    public static int ice40Blocks(int depth, int width) {
        int best = Integer.MAX_VALUE;
        for (int[] s : ICE40_SHAPES) {
            best = Math.min(best, ceil(width, s[1]) * ceil(depth, s[0]));
        }
        return best;
    }

    /** Fraction of the blocks' bits the memory uses. */
    public static double fill(int depth, int width) {
        return (double) depth * width / ((long) ice40Blocks(depth, width) * BLOCK_BITS);
    }

    /** Whether the memory belongs in block RAM: more than one word, and blocks at least half full. */
    public static boolean worthIt(int depth, int width) {
        return depth > 1 && fill(depth, width) >= MIN_FILL;
    }

    /**
     * Bits from which a memory that is written (a line buffer, a window buffer) belongs in block RAM
     * whatever its fill: in logic every bit is a flip-flop and a share of a read multiplexer, about
     * 1.2 logic cells, so a few hundred bits cost more of an iCE40 than the block (an HX8K has 240
     * logic cells per block RAM).
     */
    public static final int RAM_MIN_BITS = 192;

    /** Whether a written memory belongs in block RAM: more than one word and at least {@value #RAM_MIN_BITS} bits, or the fill rule. */
    public static boolean worthItForRam(int depth, int width) {
        return depth > 1 && ((long) depth * width >= RAM_MIN_BITS || worthIt(depth, width));
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
