package org.bcflow.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.bcflow.cluster.Executor;
import org.bcflow.cluster.LocalExecutor;
import org.bcflow.cluster.SlurmExecutor;

/** Where a campaign's tasks run (explore's points, fuzz's cases, verify's image shards): this machine or Slurm. */
final class ExecutorOptions {
    enum Kind { LOCAL, SLURM }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>(Map.of("local", Kind.LOCAL));
    static {
        KINDS.put("slurm", Kind.SLURM);
    }

    static final Opt<Kind> EXECUTOR = new Opt<>("executor", "NAME", Kind.LOCAL, "local", Parse.choice(KINDS),
            "where the tasks run: local (processes on this machine, --jobs at once) or slurm (job arrays through sbatch,"
                    + " on a folder the nodes share)");
    static final Opt<Integer> RETRIES = Opt.of("retries", "N", 1, Parse.atLeast(0),
            "times a task that failed, was cancelled or was lost is run again");
    static final Opt<String> PARTITION = Opt.computed("partition", "NAME", "the cluster's default", Parse.text(),
            "Slurm partition");
    static final Opt<String> TIME_LIMIT = Opt.computed("time-limit", "HH:MM:SS", "the partition's", Parse.text(),
            "Slurm time limit of one task");
    static final Opt<String> MEM = Opt.computed("mem", "SIZE", "the partition's", Parse.text(), "Slurm memory of one task, e.g. 4G");
    static final Opt<String> SBATCH_ARGS = Opt.computed("sbatch-args", "ARGS", null, Parse.text(),
            "more sbatch options, separated by blanks, e.g. '--account=lab --qos=short'");
    static final Opt<Integer> ARRAY_LIMIT = Opt.of("array-limit", "K", 0, Parse.atLeast(0),
            "tasks of one array running at once (sbatch --array=...%K), 0 = as many as Slurm allows");
    static final Opt<Boolean> DRY_RUN = Opt.flag("dry-run", "with --executor slurm: print the scripts it would submit and stop");

    static final List<Opt<?>> ALL = List.of(EXECUTOR, RETRIES, PARTITION, TIME_LIMIT, MEM, SBATCH_ARGS, ARRAY_LIMIT, DRY_RUN);

    private ExecutorOptions() {
    }

    static boolean slurm(CommandLine line) throws ParseException {
        return EXECUTOR.get(line) == Kind.SLURM;
    }

    /** Refuses Slurm's options without --executor slurm: a command checks this before it does anything. */
    static void check(CommandLine line) throws ParseException {
        if (!slurm(line)) {
            for (Opt<?> o : List.of(PARTITION, TIME_LIMIT, MEM, SBATCH_ARGS, ARRAY_LIMIT, DRY_RUN)) {
                if (o.given(line)) {
                    throw new ParseException("--" + o.name() + " is for --executor slurm");
                }
            }
        }
    }

    /** The executor the options name; {@code jobs}: local processes at once. */
    static Executor executor(CommandLine line, int jobs) throws ParseException {
        check(line);
        if (!slurm(line)) {
            return new LocalExecutor(jobs, RETRIES.get(line));
        }
        String extra = SBATCH_ARGS.get(line);
        List<String> extraArgs = extra == null || extra.isBlank() ? List.of() : Arrays.asList(extra.trim().split("\\s+"));
        return new SlurmExecutor(new SlurmExecutor.Options(PARTITION.get(line), TIME_LIMIT.get(line), MEM.get(line), extraArgs,
                RETRIES.get(line), ARRAY_LIMIT.get(line), DRY_RUN.get(line), Duration.ofSeconds(2)));
    }
}
