package org.bcflow.cli;

import java.util.List;
import org.apache.commons.cli.CommandLine;

/** One {@code bcflow} subcommand: its options, and what it does with them. */
interface Command {
    String name();

    /** One line for {@code bcflow --help}. */
    String summary();

    /** The options it accepts, each declared once in an options class. */
    List<Opt<?>> options();

    /** The arguments to parse, from those given (a command may stand some for others: flow's --preset). */
    default String[] arguments(String[] given) throws org.apache.commons.cli.ParseException {
        return given;
    }

    /** Runs the command; returns the process exit code. */
    int run(CommandLine line) throws Exception;
}
