package org.bcflow.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.BcflowException;

/**
 * The {@code bcflow} command: finds the subcommand, parses its options, and turns failures into
 * exit codes: 0 success, 1 verification found mismatches, 2 bad input or a missing tool (one line on stderr, no stack trace), 3 an internal error.
 */
public final class Main {
    static final List<Command> COMMANDS = List.of(new TrainCommand(), new ExportCommand(), new ImportCommand(), new RtlCommand(),
            new VerifyCommand(), new FuzzCommand(), new FuzzTaskCommand(), new FlowCommand(), new BenchTrainCommand(), new BenchRtlCommand(), new SynthCommand(),
            new NetworkCommand(), new PresetsCommand(), new ExploreCommand(), new ExploreTaskCommand(), new AsicCommand());

    private Main() {
    }

    public static void main(String[] args) {
        // JLine (under the progress bars) unpacks a native library into the temporary folder: into
        // one of ours, which goes with the process however it ends
        if (System.getProperty("jline.tmpdir") == null) {
            System.setProperty("jline.tmpdir", org.bcflow.core.tools.Reaper.temporaryFolder("bcflow-jline").toString());
        }
        System.exit(run(args));
    }

    public static int run(String[] args) {
        return execute(args, System.err).exitCode();
    }

    /** How a command ended: its exit code, and the exception that ended it (null when it returned). */
    record Ending(int exitCode, Exception failure) {
    }

    /** As {@link #run(String[])}, with the one-line errors (exit 2 and 3) printed to {@code err}, and the exception kept. */
    static Ending execute(String[] args, java.io.PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            printUsage();
            return new Ending(args.length == 0 ? 2 : 0, null);
        }
        Command cmd = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (cmd == null) {
            err.println("bcflow: unknown command '" + args[0] + "' (see bcflow --help)");
            return new Ending(2, null);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            printHelp(cmd);
            return new Ending(0, null);
        }
        try {
            CommandLine line = new DefaultParser().parse(Opt.options(cmd.options()), cmd.arguments(rest));
            if (!line.getArgList().isEmpty()) {
                throw new ParseException("unexpected argument '" + line.getArgList().get(0) + "'");
            }
            return new Ending(cmd.run(line), null);
        } catch (ParseException e) {
            err.println("bcflow " + cmd.name() + ": " + e.getMessage() + " (see bcflow " + cmd.name() + " --help)");
            return new Ending(2, e);
        } catch (BcflowException e) {
            err.println("bcflow " + cmd.name() + ": error: " + e.getMessage());
            return new Ending(2, e);
        } catch (Exception e) {
            err.println("bcflow " + cmd.name() + ": internal error: " + e);
            e.printStackTrace(err);
            return new Ending(3, e);
        }
    }

    private static void printUsage() {
        System.out.println("usage: bcflow COMMAND [OPTIONS]    (bcflow COMMAND --help for its options)");
        System.out.println();
        System.out.println("BinaryConnect networks from training to verified hardware.");
        System.out.println();
        for (Command c : COMMANDS) {
            System.out.printf("  %-12s %s%n", c.name(), c.summary());
        }
        System.out.printf("  %-12s %s%n", "setup", "install Verilator and fetch data sets (launcher script only)");
        System.out.printf("  %-12s %s%n", "test", "set up, then run the test suite (launcher script only)");
    }

    private static void printHelp(Command cmd) {
        HelpFormatter f = new HelpFormatter();
        f.setWidth(100);
        PrintWriter pw = new PrintWriter(System.out, true);
        f.printHelp(pw, 100, "bcflow " + cmd.name() + " [OPTIONS]", cmd.summary(), Opt.options(cmd.options()), 2, 2, "", false);
        pw.flush();
    }
}
