package org.bcflow.core;

import java.math.BigInteger;
import java.util.HexFormat;

/** Unsigned numbers in hexadecimal, as ROM files, embedded ROMs and testbench taps print them. */
public final class Hex {
    private Hex() {
    }

    /**
     * The non-negative number {@code digits} spell. Through bytes, because BigInteger's own parser
     * takes time quadratic in the digits, and a ROM word can be 100,000 bits wide.
     *
     * @throws NumberFormatException if {@code digits} is empty or holds a character that is no hex digit
     */
    public static BigInteger parseUnsigned(String digits) {
        if (digits.isEmpty()) {
            throw new NumberFormatException("no hex digits");
        }
        try {
            return new BigInteger(1, HexFormat.of().parseHex(digits.length() % 2 == 0 ? digits : "0" + digits));
        } catch (IllegalArgumentException e) {
            throw new NumberFormatException("not hex: '" + digits + "'");
        }
    }
}
