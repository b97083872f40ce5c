package org.bcflow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a bcflow subcommand as a process of its own (a campaign's task): this JVM's
 * java and class path, so a task runs exactly the build its driver runs, on this machine or on a
 * cluster node that shares the folders.
 */
final class BcflowProcess {
    private BcflowProcess() {
    }

    static List<String> command(String... args) {
        // the driver's temporary folder too: a task's scratch goes where the user sent the driver's
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
