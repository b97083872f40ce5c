package org.bcflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.Json;
import org.bcflow.rtlgen.Design;
import org.bcflow.sim.VerifyReport;

/** Machine-readable JSON reports and the short human-readable tables printed beside them. */
final class Reports {
    /** The shared mapper (snake_case, indented), under the name the commands build their reports with. */
    static final ObjectMapper JSON = Json.MAPPER;

    private Reports() {
    }

    /** verify.json, and report.json's verify: the record as the shared mapper writes it. */
    static ObjectNode verifyJson(VerifyReport r) {
        return (ObjectNode) Json.tree(r);
    }

    /** report.json's design: the figures a reader of the flow's report wants, the full story being rtl/design.json. */
    record DesignSummary(String top, String networkHash, long intervalCycles, long latencyCycles, List<LayerSummary> layers,
            @com.fasterxml.jackson.annotation.JsonProperty("estimate_7series") org.bcflow.synth.SevenSeriesEstimate estimate7Series) {
        static DesignSummary of(Design d, org.bcflow.core.Network net) {
            return new DesignSummary(d.top(), d.networkHash(), d.intervalCycles(), d.latencyCycles(), d.layers().stream()
                    .map(l -> new LayerSummary(l.name(), l.inputs(), l.outputs(), l.pe(), l.simd(), l.cycles())).toList(),
                    org.bcflow.synth.SevenSeriesEstimate.of(d, org.bcflow.rtlgen.RtlGenerator.roms(net, d)));
        }
    }

    record LayerSummary(String name, int inputs, int outputs, int pe, int simd, long cycles) {
    }

    static ObjectNode timingJson(Map<String, Double> seconds) {
        ObjectNode o = JSON.createObjectNode();
        seconds.forEach(o::put);
        return o;
    }

    static void write(Path file, ObjectNode root) {
        AtomicFiles.writeString(file, Json.text(root));
    }

    /** Writes a report among a run's outputs, with the paths it names as they will be after the commit. */
    static void write(org.bcflow.core.OutputFolder out, String name, Object report) {
        AtomicFiles.writeString(out.stage(name), out.published(Json.text(report)));
    }

    static String verifyTable(VerifyReport r) {
        StringBuilder sb = new StringBuilder();
        row(sb, "result", r.passed() ? "PASSED: hardware and reference agree bit for bit, ROM word for word, cycle for cycle"
                : "FAILED: " + String.join("; ", r.failures()));
        row(sb, "simulator", r.simulator());
        row(sb, "vectors", Integer.toString(r.vectors()));
        row(sb, "mismatches", r.mismatches() + (r.firstDivergence() == null ? "" : "   <-- first: " + r.firstDivergence().describe()));
        if (r.waveform() != null) {
            row(sb, "waveform", r.waveform() + " (build kept in " + r.build().dir() + ")");
        }
        row(sb, "ROM files", romLine(r.romCheck()));
        row(sb, "reference accuracy", pct(r.accuracy().reference()));
        row(sb, "hardware accuracy", pct(r.accuracy().hardware()));
        row(sb, "cycles/image", "predicted " + r.cycles().cyclesPerImagePredicted() + ", measured " + r.cycles().cyclesPerImageMeasured()
                + (r.cycles().intervalMin() != r.cycles().intervalMax() ? " (range " + r.cycles().intervalMin() + ".." + r.cycles().intervalMax() + ")" : ""));
        row(sb, "latency (cycles)", "predicted " + r.cycles().latencyPredicted() + ", measured " + r.cycles().latencyMeasured());
        row(sb, "cycle model", r.cycleCheck().problems().isEmpty() ? "agrees (every image's cycles, latency, interval)"
                : "DISAGREES: " + String.join("; ", r.cycleCheck().problems()));
        row(sb, "simulation", String.format("%.1f s build%s, %.1f s run on %d process%s, %.2f M cycles/s, %s images/s",
                r.build().seconds(), r.build().cached() ? " (cached)" : "", r.simulationSeconds(), r.jobs(), r.jobs() == 1 ? "" : "es",
                r.simulatedCyclesPerSecond() / 1e6, r.imagesPerSecond() < 10 ? String.format("%.2f", r.imagesPerSecond())
                        : String.format("%.0f", r.imagesPerSecond()))
                + (r.build().note() == null ? "" : "; rebuilt: " + r.build().note()));
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
