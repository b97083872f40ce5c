package org.bcflow.synth.asic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bcflow.core.BcflowException;
import org.bcflow.core.tools.ExternalTool;

/**
 * One stage of the ASIC flow: a tool run in the project folder with a time limit and a log kept.
 * A stage that fails or runs out of time is one line naming the stage and its log.
 */
record AsicStage(String name, List<String> command, Path workDir, Path log, Duration timeout) {
    /** Runs the stage; its output (also in the log) and the seconds it took. */
    Run run() {
        long start = System.nanoTime();
        ExternalTool.Result r;
        try {
            r = ExternalTool.run(command, workDir, log, timeout);
        } catch (BcflowException e) {
            if (e.getMessage().contains("did not finish within")) {
                throw new BcflowException("asic stage " + name + " did not finish within " + minutes(timeout) + " (log: " + log
                        + "); give a longer --stage-timeout, or a smaller design");
            }
            throw new BcflowException("asic stage " + name + ": " + e.getMessage());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (r.exitCode() != 0) {
            throw failed("exit code " + r.exitCode() + ": " + firstError(r.output()));
        }
        return new Run(r.output(), seconds);
    }

    /** The stage's failure as one line, for a check after the run (a missing output file, a refusal in its log). */
    BcflowException failed(String why) {
        return new BcflowException("asic stage " + name + " failed: " + why + " (log: " + log + ")");
    }

    record Run(String output, double seconds) {
    }

    /** The first line that looks like an error, or the last line. */
    static String firstError(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (output.contains("problems in 'check -assert'")) {  // Yosys: the problems are warnings before the error
            String first = lines.stream().filter(l -> l.startsWith("Warning:") && !l.contains("Replacing memory"))
                    .findFirst().orElse("");
            return lines.stream().filter(l -> l.startsWith("ERROR:")).findFirst().orElse("") + " First: " + first;
        }
        return lines.stream().filter(l -> l.matches("(?i).*\\b(error|fatal|abort)\\b.*")).findFirst()
                .orElse(lines.isEmpty() ? "no output" : lines.get(lines.size() - 1));
    }

    private static String minutes(Duration d) {
        return d.toMinutes() >= 1 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
