package org.bcflow.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;

/**
 * One job array's files: {@code slurm/batch-<n>.sh}, the sbatch script, and
 * {@code slurm/batch-<n>.tasks}, the tasks' commands shell-quoted, one a line; array task i runs
 * line i+1 and appends its output to {@code logs/<id>.out} and {@code .err}.
 */
record BatchScript(int number, Path script, Path taskFile, String text, String taskText, List<Task> tasks) {
    private static final Pattern BATCH = Pattern.compile("batch-(\\d+)\\.sh");

    /** Writes the next batch of the work folder (numbers go on across runs, so no earlier batch's files are lost). */
    static BatchScript write(Path workDir, List<Task> tasks, SlurmExecutor.Options options, TaskLogs logs) {
        Path dir = workDir.toAbsolutePath().normalize().resolve("slurm");
        // #SBATCH lines are split at blanks, so a path in them must have none
        if (dir.toString().matches(".*\\s.*")) {
            throw new BcflowException("a Slurm work folder must not contain blanks: " + workDir);
        }
        int number = nextNumber(dir);
        Path script = dir.resolve("batch-" + number + ".sh");
        Path taskFile = dir.resolve("batch-" + number + ".tasks");
        String taskText = tasks.stream().map(t -> ShellQuote.command(t.command()) + "\n").collect(Collectors.joining());
        String text = script(number, tasks, options, taskFile, logs.dir());
        AtomicFiles.writeString(taskFile, taskText);
        AtomicFiles.writeString(script, text);
        script.toFile().setExecutable(true);
        return new BatchScript(number, script, taskFile, text, taskText, List.copyOf(tasks));
    }

    private static int nextNumber(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 1;
        }
        try (var files = Files.list(dir)) {
            return 1 + files.map(p -> BATCH.matcher(p.getFileName().toString()))
                    .filter(java.util.regex.Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        } catch (IOException e) {
            return 1;
        }
    }

    private static String script(int number, List<Task> tasks, SlurmExecutor.Options o, Path taskFile, Path logDir) {
        StringBuilder b = new StringBuilder();
        b.append("#!/bin/bash\n");
        b.append("# bcflow: ").append(tasks.size()).append(" task(s), array task i runs line i+1 of ")
                .append(taskFile.getFileName()).append('\n');
        b.append("#SBATCH --job-name=bcflow-").append(number).append('\n');
        b.append("#SBATCH --array=0-").append(tasks.size() - 1);
        if (o.parallel() > 0) {
            b.append('%').append(o.parallel());
        }
        b.append('\n');
        // Slurm's own messages (a time limit, a cancellation) and anything before the redirection below
        b.append("#SBATCH --output=").append(logDir).append("/%x-%A_%a.out\n");
        if (o.partition() != null) {
            b.append("#SBATCH --partition=").append(o.partition()).append('\n');
        }
        if (o.time() != null) {
            b.append("#SBATCH --time=").append(o.time()).append('\n');
        }
        if (o.mem() != null) {
            b.append("#SBATCH --mem=").append(o.mem()).append('\n');
        }
        for (String arg : o.extraArgs()) {
            b.append("#SBATCH ").append(arg).append('\n');
        }
        b.append("set -u\n");
        b.append("ids=(").append(tasks.stream().map(Task::id).collect(Collectors.joining(" "))).append(")\n");
        b.append("id=${ids[$SLURM_ARRAY_TASK_ID]}\n");
        b.append("mapfile -t lines < ").append(ShellQuote.word(taskFile.toString())).append('\n');
        b.append("line=${lines[$SLURM_ARRAY_TASK_ID]}\n");
        b.append("logs=").append(ShellQuote.word(logDir.toString())).append('\n');
        b.append("exec >>\"$logs/$id.out\" 2>>\"$logs/$id.err\"\n");
        b.append("eval \"exec $line\"\n");
        return b.toString();
    }
}
