package org.bcflow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.bcflow.core.Json;
import org.bcflow.sim.GateLevelReport;
import org.bcflow.synth.asic.AsicEstimate;
import org.bcflow.synth.asic.AsicResult;

/** asic.json and the table asic prints: what the standard-cell flow measured, and the gate-level check. */
record AsicReport(AsicResult asic, GateLevelReport gateLevel, Path folder) {
    ObjectNode document() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", "bcflow-asic");
        root.put("version", 1);
        root.put("technology", asic.technology());
        root.put("top", asic.top());
        root.put("verdict", asic.verdict());
        ObjectNode cells = root.putObject("cells");
        cells.put("total", asic.cells().total());
        cells.put("flip_flops", asic.cells().flipFlops());
        cells.put("area_um2", Math.round(asic.cells().areaUm2() * 100) / 100.0);
        ObjectNode byType = cells.putObject("by_type");
        asic.cells().cells().forEach(byType::put);
        var e = asic.estimate();
        ObjectNode estimate = root.putObject("estimate");
        estimate.put("cells", e.cells());
        estimate.put("flip_flops", e.flipFlops());
        estimate.put("area_um2", Math.round(e.areaUm2()));
        estimate.put("cells_error_pct", round1(AsicEstimate.errorPct(e.cells(), asic.cells().total())));
        estimate.put("area_error_pct", round1(AsicEstimate.errorPct(e.areaUm2(), asic.cells().areaUm2())));
        ObjectNode timing = root.putObject("timing");
        timing.put("clock_mhz", asic.clockMhz());
        timing.put("fmax_mhz", asic.fmaxMhz());
        if (asic.criticalPath() != null) {
            timing.put("critical_path_ns", asic.criticalPath().ns());
            timing.put("critical_path_from", asic.criticalPath().from());
            timing.put("critical_path_to", asic.criticalPath().to());
        }
        timing.put("hold_met", asic.holdMet());
        timing.put("meets_clock", asic.meetsClock());
        ObjectNode speed = root.putObject("throughput");
        speed.put("interval_cycles", asic.intervalCycles());
        speed.put("latency_cycles", asic.latencyCycles());
        speed.put("images_per_second", Math.round(asic.imagesPerSecond()));
        speed.put("images_per_second_at_fmax", Math.round(asic.imagesPerSecondAtFmax()));
        ObjectNode gate = Json.MAPPER.valueToTree(gateLevel);
        root.set("gate_level", gate);
        var files = gate.putArray("netlist");
        gateLevel.netlist().stream().map(Path::of).map(p -> p.startsWith(folder) ? folder.relativize(p) : p)
                .forEach(p -> files.add(p.toString()));
        // relative: the run is staged elsewhere and renamed into place
        root.put("netlist", folder.relativize(asic.netlist()).toString());
        ObjectNode seconds = root.putObject("stage_seconds");
        asic.stageSeconds().forEach((k, v) -> seconds.put(k, Math.round(v * 10) / 10.0));
        return root;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        Reports.row(sb, "technology", asic.technology() + " (qflow; cells from " + asic.netlist().getFileName() + ")");
        Reports.row(sb, "cells", String.format("%,d (%,d flip-flops), %,.0f µm² of standard cells", asic.cells().total(),
                asic.cells().flipFlops(), asic.cells().areaUm2()));
        var e = asic.estimate();
        Reports.row(sb, "estimate", String.format("%,d cells (%,d flip-flops), %,.0f µm²: %+.1f%% and %+.1f%% against the"
                + " measurement (the analytic model, before synthesis)", e.cells(), e.flipFlops(), e.areaUm2(),
                AsicEstimate.errorPct(e.cells(), asic.cells().total()), AsicEstimate.errorPct(e.areaUm2(), asic.cells().areaUm2())));
        Reports.row(sb, "static timing", String.format("Fmax %.1f MHz", asic.fmaxMhz()) + (asic.criticalPath() == null ? ""
                : String.format(", critical path %.3f ns (%s -> %s)", asic.criticalPath().ns(), asic.criticalPath().from(),
                        asic.criticalPath().to())) + (asic.holdMet() ? ", hold met" : ", HOLD VIOLATED"));
        Reports.row(sb, "throughput", String.format("%,.0f images/s at %.1f MHz (%d cycles per image); %,.0f at Fmax",
                asic.imagesPerSecond(), Math.min(asic.clockMhz(), asic.fmaxMhz()), asic.intervalCycles(),
                asic.imagesPerSecondAtFmax()));
        Reports.row(sb, "gate level", gateLevel.summary());
        StringBuilder t = new StringBuilder();
        asic.stageSeconds().forEach((k, v) -> t.append(String.format("%s %.1f s, ", k, v)));
        Reports.row(sb, "stage times", t.substring(0, Math.max(0, t.length() - 2)));
        Reports.row(sb, "verdict", asic.verdict());
        return sb.toString();
    }
}
