package org.bcflow.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The words of one memory: {@code depth} words of {@code width} bits, packed 64 bits to a long.
 * Word i occupies {@code stride = ceil(width / 64)} longs from {@code i * stride}, lowest bits
 * first; bits at and above {@code width} are always 0. Filled only by {@link RomPacking}, so
 * that the layout of a word's bits is decided in one place.
 */
public final class RomWords {
    private final int depth;
    private final int width;
    private final int stride;
    private final long[] bits;

    RomWords(int depth, int width) {
        if (depth < 0 || width < 1) {
            throw new IllegalArgumentException(depth + " words of " + width + " bits");
        }
        this.depth = depth;
        this.width = width;
        this.stride = (width + 63) / 64;
        this.bits = new long[Math.multiplyExact(depth, stride)];
    }

    public int depth() {
        return depth;
    }

    public int width() {
        return width;
    }

    /** Bits {@code [64k, 64k + 64)} of word i (k < ceil(width / 64)). */
    public long chunk(int word, int k) {
        if (word < 0 || word >= depth || k < 0 || k >= stride) {
            throw new IndexOutOfBoundsException("chunk " + k + " of word " + word + " outside " + depth + " words of " + width + " bits");
        }
        return bits[word * stride + k];
    }

    /** Bit b of word i. */
    public boolean bit(int word, int b) {
        if (b < 0 || b >= width) {
            throw new IndexOutOfBoundsException("bit " + b + " outside " + width + " bits");
        }
        return (chunk(word, b >>> 6) >>> (b & 63) & 1L) != 0;
    }

    /** The hex digit (0..15) of bits {@code [4d, 4d + 4)} of word i. */
    public int nibble(int word, int d) {
        return (int) (chunk(word, d >>> 4) >>> ((d & 15) << 2)) & 0xf;
    }

    /** Word i as a non-negative number. */
    public BigInteger word(int i) {
        byte[] bigEndian = new byte[stride * 8 + 1]; // a leading zero byte keeps it positive
        for (int k = 0; k < stride; k++) {
            long v = chunk(i, k);
            for (int b = 0; b < 8; b++) {
                bigEndian[bigEndian.length - 1 - (k * 8 + b)] = (byte) (v >>> (8 * b));
            }
        }
        return new BigInteger(bigEndian);
    }

    /** Every word as a number, address 0 first. */
    public List<BigInteger> toBigIntegers() {
        List<BigInteger> out = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            out.add(word(i));
        }
        return out;
    }

    /** Words given as numbers, each in [0, 2^width). */
    public static RomWords of(int width, List<BigInteger> words) {
        RomWords out = new RomWords(words.size(), width);
        for (int i = 0; i < words.size(); i++) {
            BigInteger w = words.get(i);
            if (w.signum() < 0 || w.bitLength() > width) {
                throw new IllegalArgumentException("word " + i + " (" + w.toString(16) + ") does not fit " + width + " bits");
            }
            for (int k = 0; k < out.stride; k++) {
                out.bits[i * out.stride + k] = w.shiftRight(64 * k).longValue();
            }
        }
        return out;
    }

    /** ORs the low {@code count} bits of {@code value} (1..64, the rest must be 0) into word i from bit {@code offset}. */
    void or(int word, int offset, long value, int count) {
        if (offset < 0 || count < 1 || count > 64 || offset + count > width || (count < 64 && value >>> count != 0)) {
            throw new IllegalArgumentException(count + " bits at " + offset + " of a " + width + "-bit word");
        }
        int i = word * stride + (offset >>> 6);
        int shift = offset & 63;
        bits[i] |= value << shift;
        if (shift != 0 && shift + count > 64) {
            bits[i + 1] |= value >>> (64 - shift);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RomWords r && r.depth == depth && r.width == width && Arrays.equals(r.bits, bits);
    }

    @Override
    public int hashCode() {
        return (31 * depth + width) * 31 + Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        return "RomWords[" + depth + " x " + width + " bits]";
    }
}
