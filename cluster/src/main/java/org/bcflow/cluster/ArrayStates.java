package org.bcflow.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asks Slurm what became of the tasks of a job array. Accounting ({@code sacct}) knows finished
 * jobs for good, but many clusters (and the local test cluster) have none; {@code squeue -t all}
 * works everywhere but forgets finished jobs after MinJobAge. So sacct is asked while it works,
 * squeue always, and a task either calls finished counts as finished.
 */
final class ArrayStates {
    /** States after which a task never runs again. */
    static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL",
            "PREEMPTED", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE");

    /** A task's state, with its exit ("exit 3", "signal 15" or null) as Slurm reported it. */
    record State(String name, String exit) {
        boolean terminal() {
            return TERMINAL.contains(name);
        }

        /** For error lines: "FAILED, exit 3". */
        String describe() {
            return exit == null ? name : name + ", " + exit;
        }
    }

    private final SlurmClient client;
    /** Null until sacct was tried; false once it failed (no accounting): not asked again. */
    private Boolean sacctWorks;

    ArrayStates(SlurmClient client) {
        this.client = client;
    }

    /**
     * The states of the array's tasks by index; a task absent from the map is unknown to Slurm
     * (not yet listed, or forgotten). Null when no command could answer this time (a transient failure).
     */
    Map<Integer, State> query(String jobId) {
        Map<Integer, State> states = new HashMap<>();
        boolean answered = false;
        if (!Boolean.FALSE.equals(sacctWorks) && client.find("sacct") != null) {
            SlurmClient.Result r = client.run("sacct", List.of("-X", "-n", "-P", "-j", jobId, "-o", "JobID,State,ExitCode"));
            sacctWorks = r.ok();
            if (r.ok()) {
                states.putAll(parseSacct(r.out(), jobId));
                answered = true;
            }
        } else {
            sacctWorks = false;
        }
        SlurmClient.Result r = client.run("squeue", List.of("-h", "-t", "all", "-j", jobId,
                "-O", "ArrayJobID:|,ArrayTaskID:|,State:|,exit_code:|,Reason:"));
        if (r.ok()) {
            answered = true;
            // squeue is live where accounting may lag; a finished state wins from either side
            parseSqueue(r.out(), jobId).forEach((i, s) -> states.merge(i, s, (a, b) -> a.terminal() ? a : b));
        } else if (r.err().contains("Invalid job id")) {
            answered = true;  // the controller has forgotten the whole job
        }
        return answered ? states : null;
    }

    /** Lines of {@code ArrayJobID|ArrayTaskID|State|exit_code|Reason}; exit_code is a raw wait status. */
    static Map<Integer, State> parseSqueue(String out, String jobId) {
        Map<Integer, State> states = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length < 4 || !f[0].equals(jobId)) {
                continue;
            }
            String state = f[2].strip();
            String exit = null;
            if (TERMINAL.contains(state)) {
                try {
                    exit = waitStatus(Integer.parseInt(f[3].strip()));
                } catch (NumberFormatException e) {
                    exit = null;
                }
            }
            for (int i : indices(f[1])) {
                states.put(i, new State(state, exit));
            }
        }
        return states;
    }

    /** Lines of {@code JobID|State|ExitCode}: "12_3|FAILED|3:0", "12_[4-9%2]|PENDING|0:0", "12_1|CANCELLED by 0|0:15". */
    static Map<Integer, State> parseSacct(String out, String jobId) {
        Map<Integer, State> states = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length < 3 || !f[0].startsWith(jobId + "_")) {
                continue;
            }
            String state = f[1].strip().split("\\s+")[0];
            String exit = null;
            String[] es = f[2].strip().split(":");
            if (TERMINAL.contains(state) && es.length == 2) {
                exit = !es[1].equals("0") ? "signal " + es[1] : "exit " + es[0];
            }
            for (int i : indices(f[0].substring(jobId.length() + 1))) {
                states.put(i, new State(state, exit));
            }
        }
        return states;
    }

    /** "exit N" or "signal N" from a wait status as squeue's exit_code prints it. */
    static String waitStatus(int status) {
        int signal = status & 0x7f;
        return signal != 0 ? "signal " + signal : "exit " + ((status >> 8) & 0xff);
    }

    /** The indices of an array task field: "7", "3-4%2", "[3-4%2]", "1,4-5"; none for "N/A". */
    static List<Integer> indices(String spec) {
        List<Integer> out = new ArrayList<>();
        String s = spec.strip().replace("[", "").replace("]", "");
        int percent = s.indexOf('%');
        if (percent >= 0) {
            s = s.substring(0, percent);
        }
        for (String part : s.split(",")) {
            try {
                int dash = part.indexOf('-');
                if (dash < 0) {
                    out.add(Integer.parseInt(part));
                } else {
                    // "0-9:2" steps are never submitted by us, but read right anyway
                    String[] rs = part.substring(dash + 1).split(":");
                    int step = rs.length > 1 ? Integer.parseInt(rs[1]) : 1;
                    for (int i = Integer.parseInt(part.substring(0, dash)); i <= Integer.parseInt(rs[0]); i += step) {
                        out.add(i);
                    }
                }
            } catch (NumberFormatException e) {
                // "N/A": not an array task
            }
        }
        return out;
    }
}
