package org.bcflow.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bcflow.cli.Main;

/** Runs the bcflow command in this JVM (or in a child JVM, to change its environment) and keeps what it printed. */
record Cli(int exitCode, String out, String err) {

    static synchronized Cli run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Runs bcflow in a child JVM with extra environment variables. */
    static Cli runWithEnvironment(Map<String, String> env, Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().putAll(env);
        Path out = workDir.resolve("child.out");
        Path err = workDir.resolve("child.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("bcflow did not finish: " + cmd);
        }
        Cli result = new Cli(p.exitValue(), java.nio.file.Files.readString(out), java.nio.file.Files.readString(err));
        java.nio.file.Files.delete(out);
        java.nio.file.Files.delete(err);
        return result;
    }

    /** The lines of stderr that are not progress chatter from the stages ("[stage] ..."). */
    List<String> errorLines() {
        return err.lines().filter(l -> !l.startsWith("[") && !l.isBlank()).toList();
    }
}
