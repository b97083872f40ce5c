package org.bcflow.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One {@code bcflow} subcommand: its options, and what it does with them. */
interface Command {
    String name();

    /** One line for {@code bcflow --help}. */
    String summary();

    Options options();

    /** Runs the command; returns the process exit code. */
    int run(CommandLine line) throws Exception;
}
