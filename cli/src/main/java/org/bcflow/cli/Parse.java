package org.bcflow.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.BitWidth;

/** The parsers of option values; each knows its range, which the help states and its errors quote. */
final class Parse {
    private Parse() {
    }

    /** Parses one option's text; {@code option} is its name as typed ({@code --epochs}), for the message. */
    interface Parser<T> {
        T parse(String option, String text) throws ParseException;

        /** The accepted values, for the help ("" when the help text says it). */
        default String range() {
            return "";
        }

        /** How many values may follow the option's name: the first is required, the others optional. */
        default int maxValues() {
            return 1;
        }

        /** Parses the values that followed the option's name, 1 to {@link #maxValues()} of them. */
        default T parseValues(String option, List<String> values) throws ParseException {
            return parse(option, values.get(0));
        }
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? "at least " + min : min + ".." + max;
    }

    /** A whole number in {@code min..max}. */
    static Parser<Integer> wholeNumber(int min, int max) {
        return new Parser<>() {
            public Integer parse(String option, String text) throws ParseException {
                int n;
                try {
                    n = Integer.parseInt(text.trim());
                } catch (NumberFormatException e) {
                    throw new ParseException(option + " takes a whole number, got '" + text + "'");
                }
                if (n < min || n > max) {
                    throw new ParseException(option + " must be " + Parse.range(min, max) + ", got " + n);
                }
                return n;
            }

            public String range() {
                return Parse.range(min, max);
            }
        };
    }

    /** An architecture in the paper's notation ({@link org.bcflow.core.Architecture}). */
    static Parser<org.bcflow.core.Architecture> architecture() {
        return (option, text) -> {
            try {
                return org.bcflow.core.Architecture.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ParseException(option + " " + text + ": " + e.getMessage());
            }
        };
    }

    /** A feature-map shape written CxHxW, e.g. 3x32x32. */
    static Parser<org.bcflow.core.FeatureMap> featureMap() {
        return (option, text) -> {
            String[] p = text.trim().split("x");
            try {
                if (p.length == 3) {
                    return new org.bcflow.core.FeatureMap(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
                }
            } catch (IllegalArgumentException e) {
                // falls through to the message below
            }
            throw new ParseException(option + " takes channels x height x width such as 3x32x32, got '" + text + "'");
        };
    }

    static Parser<Integer> atLeast(int min) {
        return wholeNumber(min, Integer.MAX_VALUE);
    }

    /** A bit width: the one range of every bit-width option, the hardware's. */
    static Parser<Integer> bitWidth() {
        return wholeNumber(BitWidth.MIN, BitWidth.MAX);
    }

    /** Any number; its range is checked where it is used. */
    static Parser<Double> number() {
        return (option, text) -> {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new ParseException(option + " takes a number, got '" + text + "'");
            }
        };
    }

    static Parser<Double> positive() {
        return numberWhere(d -> d > 0 && Double.isFinite(d), "a positive number", "");
    }

    static Parser<Double> percentBelow100() {
        return numberWhere(d -> d >= 0 && d < 100, "a percentage from 0 to below 100", "0..<100");
    }

    private static Parser<Double> numberWhere(java.util.function.DoublePredicate ok, String what, String range) {
        return new Parser<>() {
            public Double parse(String option, String text) throws ParseException {
                try {
                    double d = Double.parseDouble(text);
                    if (ok.test(d)) {
                        return d;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new ParseException(option + " must be " + what + ", got '" + text + "'");
            }

            public String range() {
                return range;
            }
        };
    }

    /** One of the names of {@code values}, in their order ("takes a, b or c"). */
    static <T> Parser<T> choice(Map<String, T> values) {
        return choice(values, Map.of());
    }

    /** As {@link #choice(Map)}, also accepting the unlisted {@code aliases}. */
    static <T> Parser<T> choice(Map<String, T> values, Map<String, T> aliases) {
        List<String> names = List.copyOf(values.keySet());
        String listed = String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        return (option, text) -> {
            T v = values.containsKey(text) ? values.get(text) : aliases.get(text);
            if (v == null) {
                throw new ParseException(option + " takes " + listed + ", got '" + text + "'");
            }
            return v;
        };
    }

    /** Text checked by the domain's own parser, whose error stands as it is. */
    static <T> Parser<T> by(Function<String, T> domainParser) {
        return (option, text) -> domainParser.apply(text);
    }

    static Parser<String> text() {
        return (option, text) -> text;
    }

    /**
     * The one comma-list parser: each item trimmed and read by {@code item}. A bad item refuses the
     * whole list, quoted as typed, with the items' range and an example of a good list.
     */
    static <T> Parser<List<T>> list(Parser<T> item, String example) {
        return new Parser<>() {
            public List<T> parse(String option, String text) throws ParseException {
                List<T> out = new ArrayList<>();
                for (String part : text.split(",")) {
                    try {
                        out.add(item.parse(option, part.trim()));
                    } catch (ParseException e) {
                        throw new ParseException(option + " takes a comma-separated list" + (item.range().isEmpty() ? ""
                                : ", each " + item.range()) + ", such as " + example + "; got '" + text + "'");
                    }
                }
                return List.copyOf(out);
            }

            public String range() {
                return "comma-separated" + (item.range().isEmpty() ? "" : ", each " + item.range());
            }
        };
    }

    /** Whole numbers in {@code min..max}, comma-separated. */
    static Parser<List<Integer>> wholeNumbers(int min, int max, String example) {
        return list(wholeNumber(min, max), example);
    }

    /** Names, comma-separated; empty items are left out. */
    static Parser<List<String>> names(String example) {
        Parser<List<String>> all = list(text(), example);
        return (option, text) -> all.parse(option, text).stream().filter(s -> !s.isEmpty()).toList();
    }

    /** The error for a value the parser accepted but its use does not (a list of the wrong length). */
    static ParseException refused(Opt<?> opt, String text, String why) {
        return new ParseException("--" + opt.name() + " " + why + "; got '" + text + "'");
    }
}
