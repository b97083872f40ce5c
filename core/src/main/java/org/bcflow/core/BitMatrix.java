package org.bcflow.core;

import java.util.Arrays;

/**
 * An immutable matrix of +1/-1 weights, one bit each: bit set = +1, bit clear = -1.
 * Rows are output neurons, columns are inputs. Each row is padded to whole 64-bit words.
 */
public final class BitMatrix {
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
    private final int rows;
    private final int cols;
    private final int wordsPerRow;
    private final long[] words;

    private BitMatrix(int rows, int cols, long[] words) {
        this.rows = rows;
        this.cols = cols;
        this.wordsPerRow = (cols + 63) / 64;
        this.words = words;
    }

    /** Binarizes real values with sign(v), where sign(0) = +1 (the convention everywhere in bcflow). */
    public static BitMatrix fromSigns(int rows, int cols, float[] rowMajor) {
        if (rowMajor.length != (long) rows * cols) {
            throw new IllegalArgumentException("expected " + rows + "x" + cols + " values, got " + rowMajor.length);
        }
        Builder b = new Builder(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                b.set(r, c, rowMajor[r * cols + c] >= 0f);
            }
        }
        return b.build();
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** True when the weight at (row, col) is +1. */
    public boolean isPlus(int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("(" + row + ", " + col + ") outside " + rows + "x" + cols);
        }
        return (words[row * wordsPerRow + (col >>> 6)] >>> (col & 63) & 1L) != 0;
    }

    /**
     * {@code count} (1..64) weights of a row from column {@code col} on, as bits: bit i is column
     * {@code col + i}, 1 = +1. Copies whole words where a bit-by-bit loop would be slow.
     */
    public long bits(int row, int col, int count) {
        if (row < 0 || row >= rows || col < 0 || count < 1 || count > 64 || col + count > cols) {
            throw new IndexOutOfBoundsException(count + " bits from (" + row + ", " + col + ") outside " + rows + "x" + cols);
        }
        int i = row * wordsPerRow + (col >>> 6);
        int shift = col & 63;
        long v = words[i] >>> shift;
        if (shift != 0 && shift + count > 64) {
            v |= words[i + 1] << (64 - shift);
        }
        return count == 64 ? v : v & ((1L << count) - 1);
    }

    /** The weight at (row, col) as +1 or -1. */
    public int sign(int row, int col) {
        return isPlus(row, col) ? 1 : -1;
    }

    /** A copy with one weight negated (used to plant faults in tests). */
    public BitMatrix withFlipped(int row, int col) {
        isPlus(row, col);
        long[] copy = words.clone();
        copy[row * wordsPerRow + (col >>> 6)] ^= 1L << (col & 63);
        return new BitMatrix(rows, cols, copy);
    }

    /**
     * Row {@code row} as hexadecimal, most significant digit first: bit c of the number is
     * column c. Used by the network file.
     */
    public String rowHex(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " outside " + rows);
        }
        int digits = (cols + 3) / 4;
        char[] hex = new char[digits];
        int base = row * wordsPerRow;
        for (int d = 0; d < digits; d++) {
            // a digit never straddles two words (64 is a multiple of 4), and bits beyond cols are 0
            int nibble = (int) (words[base + (d >>> 4)] >>> ((d & 15) << 2)) & 0xf;
            hex[digits - 1 - d] = HEX_DIGITS[nibble];
        }
        return new String(hex);
    }

    /** Parses {@link #rowHex} strings; throws IllegalArgumentException on a malformed row. */
    public static BitMatrix fromRowHex(int rows, int cols, java.util.List<String> hexRows) {
        if (hexRows.size() != rows) {
            throw new IllegalArgumentException("expected " + rows + " weight rows, found " + hexRows.size());
        }
        int digits = (cols + 3) / 4;
        Builder b = new Builder(rows, cols);
        for (int r = 0; r < rows; r++) {
            String hex = hexRows.get(r);
            if (hex.length() != digits) {
                throw new IllegalArgumentException("weight row " + r + " has " + hex.length()
                        + " hex digits, expected " + digits);
            }
            for (int d = 0; d < digits; d++) {
                long nibble = Character.digit(hex.charAt(digits - 1 - d), 16);
                if (nibble < 0) {
                    throw new IllegalArgumentException("weight row " + r + " is not hexadecimal");
                }
                if (nibble >>> Math.min(4, cols - d * 4) != 0) {
                    throw new IllegalArgumentException("weight row " + r + " sets a bit beyond column " + (cols - 1));
                }
                b.words[r * b.wordsPerRow + (d >>> 4)] |= nibble << ((d & 15) << 2);
            }
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BitMatrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.words, words);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "BitMatrix[" + rows + "x" + cols + "]";
    }

    /** Builds a matrix bit by bit; every weight starts at -1. */
    public static final class Builder {
        private final int rows;
        private final int cols;
        private final long[] words;
        private final int wordsPerRow;

        public Builder(int rows, int cols) {
            if (rows < 1 || cols < 1) {
                throw new IllegalArgumentException("matrix must be at least 1x1, got " + rows + "x" + cols);
            }
            this.rows = rows;
            this.cols = cols;
            this.wordsPerRow = (cols + 63) / 64;
            this.words = new long[rows * wordsPerRow];
        }

        public Builder set(int row, int col, boolean plus) {
            if (row < 0 || row >= rows || col < 0 || col >= cols) {
                throw new IndexOutOfBoundsException("(" + row + ", " + col + ") outside " + rows + "x" + cols);
            }
            long mask = 1L << (col & 63);
            int i = row * wordsPerRow + (col >>> 6);
            words[i] = plus ? words[i] | mask : words[i] & ~mask;
            return this;
        }

        public BitMatrix build() {
            return new BitMatrix(rows, cols, words.clone());
        }
    }
}
