package org.bcflow.cli;

import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * One command-line option, declared once: its name, argument, default, parser and help. The
 * help line is made from these, so the default and the range shown by {@code --help} are the
 * ones the parser applies. A command lists the options it accepts and reads each value through
 * its option, never through a name string.
 *
 * @param arg          the argument's name in the help, null for a flag
 * @param fallback     the value when the option is not given (null: none, or worked out by the command)
 * @param fallbackText how the help states the default, null for none
 */
record Opt<T>(String name, String arg, T fallback, String fallbackText, Parse.Parser<T> parser, String help) {

    /** An option with an argument, whose default is stated as {@code String.valueOf(fallback)}. */
    static <T> Opt<T> of(String name, String arg, T fallback, Parse.Parser<T> parser, String help) {
        return new Opt<>(name, arg, fallback, fallback == null ? null : shown(fallback), parser, help);
    }

    /** A default as the user would type it: 50, not 50.0. */
    private static String shown(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e9) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }

    /** An option whose default is not a fixed value: the command works it out, the help says how. */
    static <T> Opt<T> computed(String name, String arg, String fallbackText, Parse.Parser<T> parser, String help) {
        return new Opt<>(name, arg, null, fallbackText, parser, help);
    }

    /** An option without an argument: given or not. */
    static Opt<Boolean> flag(String name, String help) {
        return new Opt<>(name, null, false, null, null, help);
    }

    boolean given(CommandLine line) {
        return line.hasOption(name);
    }

    /** The parsed value, or the default when the option is not given. */
    T get(CommandLine line) throws ParseException {
        if (!line.hasOption(name)) {
            return fallback;
        }
        if (parser == null) {
            @SuppressWarnings("unchecked")
            T on = (T) Boolean.TRUE;
            return on;
        }
        List<String> values = values(line);
        if (values.isEmpty()) {
            // only an option whose values are all optional to Commons CLI gets here without one
            throw new ParseException("--" + name + " takes " + arg);
        }
        return parser.parseValues("--" + name, values);
    }

    /**
     * The values after the option's first occurrence (the first wins, as with getOptionValue): Commons
     * CLI would join the values of a repeated option, which for an option of several values would
     * read {@code --data a --data b} as the set a in folder b.
     */
    private List<String> values(CommandLine line) {
        for (Option o : line.getOptions()) {
            if (name.equals(o.getLongOpt())) {
                return o.getValues() == null ? List.of() : List.of(o.getValues());
            }
        }
        return List.of();
    }

    /** As {@link #get}, with a default the command worked out (from other options or the input). */
    T get(CommandLine line, T computedFallback) throws ParseException {
        return line.hasOption(name) ? get(line) : computedFallback;
    }

    /** The value, which must be given. */
    T required(CommandLine line) throws ParseException {
        if (!line.hasOption(name)) {
            throw new ParseException("--" + name + " is required");
        }
        return get(line);
    }

    /** The help line: the text, then the range and the default. */
    String description() {
        String range = parser == null ? "" : parser.range();
        String tail = range.isEmpty() ? "" : range;
        if (fallbackText != null) {
            tail += (tail.isEmpty() ? "" : "; ") + "default " + fallbackText;
        }
        return tail.isEmpty() ? help : help + " (" + tail + ")";
    }

    Option option() {
        Option.Builder b = Option.builder().longOpt(name).hasArg(arg != null).argName(arg).desc(description());
        if (parser != null && parser.maxValues() > 1) {
            // optional values let the parser stop at the next option: --data mnist --epochs 3
            b.numberOfArgs(parser.maxValues()).optionalArg(true);
        }
        return b.get();
    }

    /** The Commons CLI options of a command's list. */
    static Options options(List<Opt<?>> accepted) {
        Options o = new Options();
        for (Opt<?> opt : accepted) {
            if (o.hasLongOption(opt.name())) {
                throw new IllegalStateException("--" + opt.name() + " is listed twice");
            }
            o.addOption(opt.option());
        }
        return o;
    }
}
