package org.bcflow.core;

import java.util.Arrays;

/**
 * An immutable matrix of +1/-1 weights, one bit each: bit set = +1, bit clear = -1.
 * Rows are output neurons, columns are inputs. Each row is padded to whole 64-bit words.
 */
public final class BitMatrix {
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
        int digits = (cols + 3) / 4;
        StringBuilder sb = new StringBuilder(digits);
        for (int d = digits - 1; d >= 0; d--) {
            int nibble = 0;
            for (int k = 3; k >= 0; k--) {
                int c = d * 4 + k;
                nibble = nibble << 1 | (c < cols && isPlus(row, c) ? 1 : 0);
            }
            sb.append(Character.forDigit(nibble, 16));
        }
        return sb.toString();
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
                int nibble = Character.digit(hex.charAt(digits - 1 - d), 16);
                if (nibble < 0) {
                    throw new IllegalArgumentException("weight row " + r + " is not hexadecimal");
                }
                for (int k = 0; k < 4; k++) {
                    int c = d * 4 + k;
                    boolean bit = (nibble >>> k & 1) != 0;
                    if (c < cols) {
                        b.set(r, c, bit);
                    } else if (bit) {
                        throw new IllegalArgumentException("weight row " + r + " sets a bit beyond column " + (cols - 1));
                    }
                }
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
