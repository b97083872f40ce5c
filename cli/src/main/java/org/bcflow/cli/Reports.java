package org.bcflow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.bcflow.core.AtomicFiles;
import org.bcflow.rtlgen.Design;
import org.bcflow.sim.VerifyReport;

/** Machine-readable JSON reports and the short human-readable tables printed beside them. */
final class Reports {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Report records as JSON objects, their components as snake_case keys. */
    static final ObjectMapper SNAKE_CASE = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private Reports() {
    }

    static ObjectNode verifyJson(VerifyReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("passed", r.passed());
        ArrayNode failures = o.putArray("failures");
        r.failures().forEach(failures::add);
        o.put("simulator", r.simulator());
        o.put("vectors", r.vectors());
        o.put("jobs", r.jobs());
        o.put("mismatches", r.mismatches());
        o.put("reference_accuracy", r.referenceAccuracy());
        o.put("hardware_accuracy", r.hardwareAccuracy());
        o.put("cycles_per_image_predicted", r.cyclesPerImagePredicted());
        o.put("cycles_per_image_measured", r.cyclesPerImageMeasured());
        o.put("interval_min", r.intervalMin());
        o.put("interval_max", r.intervalMax());
        o.put("latency_predicted", r.latencyPredicted());
        o.put("latency_measured", r.latencyMeasured());
        o.put("total_cycles", r.totalCycles());
        o.put("build_seconds", r.buildSeconds());
        o.put("build_cached", r.buildCached());
        o.put("simulation_seconds", r.simulationSeconds());
        o.put("simulated_cycles_per_second", r.simulationSeconds() > 0 ? r.totalCycles() / r.simulationSeconds() : 0);
        o.put("images_per_second", r.simulationSeconds() > 0 ? r.vectors() / r.simulationSeconds() : 0);
        o.put("build_dir", r.buildDir());
        o.put("build_note", r.buildNote());
        o.set("first_divergence", SNAKE_CASE.valueToTree(r.firstDivergence()));
        ObjectNode roms = SNAKE_CASE.valueToTree(r.romCheck());
        roms.put("passed", r.romCheck().passed());
        o.set("rom_check", roms);
        ObjectNode cycles = o.putObject("cycle_check");
        cycles.put("passed", r.cycleProblems().isEmpty());
        ArrayNode problems = cycles.putArray("problems");
        r.cycleProblems().forEach(problems::add);
        o.put("waveform", r.waveform());
        if (r.backpressure() != null) {
            o.set("backpressure", SNAKE_CASE.valueToTree(r.backpressure()));
        }
        ArrayNode mm = o.putArray("first_mismatches");
        for (VerifyReport.Mismatch m : r.firstMismatches()) {
            ObjectNode x = mm.addObject();
            x.put("image", m.image());
            x.put("expected_class", m.expectedClass());
            x.put("actual_class", m.actualClass());
            x.put("expected_scores", Arrays.toString(m.expectedScores()));
            x.put("actual_scores", Arrays.toString(m.actualScores()));
        }
        return o;
    }

    static ObjectNode designJson(Design d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("top", d.top());
        o.put("network_hash", d.networkHash());
        o.put("interval_cycles", d.intervalCycles());
        o.put("latency_cycles", d.latencyCycles());
        ArrayNode layers = o.putArray("layers");
        for (Design.Layer l : d.layers()) {
            ObjectNode x = layers.addObject();
            x.put("name", l.name());
            x.put("inputs", l.inputs());
            x.put("outputs", l.outputs());
            x.put("pe", l.pe());
            x.put("simd", l.simd());
            x.put("cycles", l.cycles());
        }
        return o;
    }

    static ObjectNode timingJson(Map<String, Double> seconds) {
        ObjectNode o = JSON.createObjectNode();
        seconds.forEach(o::put);
        return o;
    }

    static void write(Path file, ObjectNode root) {
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a report among a run's outputs, with the paths it names as they will be after the commit. */
    static void write(org.bcflow.core.OutputFolder out, String name, ObjectNode root) {
        try {
            AtomicFiles.writeString(out.stage(name), out.published(JSON.writeValueAsString(root)) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String verifyTable(VerifyReport r) {
        StringBuilder sb = new StringBuilder();
        row(sb, "result", r.passed() ? "PASSED: hardware and reference agree bit for bit, ROM word for word, cycle for cycle"
                : "FAILED: " + String.join("; ", r.failures()));
        row(sb, "simulator", r.simulator());
        row(sb, "vectors", Integer.toString(r.vectors()));
        row(sb, "mismatches", r.mismatches() + (r.firstDivergence() == null ? "" : "   <-- first: " + r.firstDivergence().describe()));
        if (r.waveform() != null) {
            row(sb, "waveform", r.waveform() + " (build kept in " + r.buildDir() + ")");
        }
        row(sb, "ROM files", romLine(r.romCheck()));
        row(sb, "reference accuracy", pct(r.referenceAccuracy()));
        row(sb, "hardware accuracy", pct(r.hardwareAccuracy()));
        row(sb, "cycles/image", "predicted " + r.cyclesPerImagePredicted() + ", measured " + r.cyclesPerImageMeasured()
                + (r.intervalMin() != r.intervalMax() ? " (range " + r.intervalMin() + ".." + r.intervalMax() + ")" : ""));
        row(sb, "latency (cycles)", "predicted " + r.latencyPredicted() + ", measured " + r.latencyMeasured());
        row(sb, "cycle model", r.cycleProblems().isEmpty() ? "agrees (every interval, latency and stage)"
                : "DISAGREES: " + String.join("; ", r.cycleProblems()));
        row(sb, "simulation", String.format("%.1f s build%s, %.1f s run on %d process%s, %.2f M cycles/s, %.0f images/s",
                r.buildSeconds(), r.buildCached() ? " (cached)" : "", r.simulationSeconds(), r.jobs(), r.jobs() == 1 ? "" : "es",
                r.simulationSeconds() > 0 ? r.totalCycles() / r.simulationSeconds() / 1e6 : 0,
                r.simulationSeconds() > 0 ? r.vectors() / r.simulationSeconds() : 0)
                + (r.buildNote() == null ? "" : "; rebuilt: " + r.buildNote()));
        if (r.backpressure() != null) {
            VerifyReport.Backpressure b = r.backpressure();
            row(sb, "backpressure", String.format("gaps %d/1000, stalls %d/1000: %d mismatches, outputs %s, %.1f cycles/image, latency %d",
                    b.gapPerMille(), b.stallPerMille(), b.mismatches(), b.sameOutputs() ? "identical" : "DIFFERENT",
                    b.meanInterval(), b.latencyMeasured()));
        }
        return sb.toString();
    }

    private static String romLine(VerifyReport.RomCheck c) {
        String checked = c.filesChecked() + " files, " + c.wordsChecked() + " words";
        String absent = c.filesAbsent().isEmpty() ? "" : " (absent, not loaded by the design: " + String.join(", ", c.filesAbsent()) + ")";
        if (c.passed()) {
            return checked + " as packed from the network" + absent;
        }
        return c.wordsDiffering() + " words DIFFER from the network in " + String.join(", ", c.filesDiffering())
                + "   <-- first: " + c.firstDifference().describe() + "; " + checked + " checked" + absent;
    }

    static void row(StringBuilder sb, String key, String value) {
        sb.append(String.format("  %-20s %s%n", key, value));
    }

    static String pct(double fraction) {
        return String.format("%.4f (%.2f%%)", fraction, 100 * fraction);
    }
}
