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

    /** Runs the command; returns the process exit code. */
    int run(CommandLine line) throws Exception;
}
