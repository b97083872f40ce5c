package org.bcflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.bcflow.cluster.Outcome;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.Json;

/**
 * What a sweep found: one row per point, from its result and flow's report.json, written as
 * explore.csv (one row a point), pareto.json (the rows and the Pareto front) and pareto.png.
 */
final class ExploreResults {
    /** The stages whose wall time a row gives, in seconds; train's is its model's, shared by the points that use it. */
    static final List<String> STAGES = List.of("train", "export", "rtl", "verify", "synth");

    /**
     * One point's row. Accuracies are over the whole test set: float of the binary-weight model, and
     * hardware-exact (the integer network the hardware computes, checked on {@code verifiedImages}
     * images). Fields are null where a point failed before them.
     */
    record Row(String point, String label, Map<String, String> axes, String model, String status, String error,
            Double floatAccuracy, Double hwAccuracy, Integer verifiedImages, Integer mismatches, Long cyclesPerImage,
            Long cyclesMeasured, Long logicCells, Long blockRams, Double fmaxMhz, Double imagesPerSecond, Boolean fits,
            String device, String folding, Map<String, Double> seconds, Map<String, String> tools) {
        boolean ok() {
            return ExploreTaskCommand.Result.OK.equals(status);
        }

        ParetoFront.Point paretoPoint() {
            return new ParetoFront.Point(label, hwAccuracy == null ? Double.NaN : hwAccuracy,
                    imagesPerSecond == null ? Double.NaN : imagesPerSecond, logicCells == null ? 0 : logicCells,
                    ok() && Boolean.TRUE.equals(fits));
        }
    }

    /** pareto.json: the axes, the points on the front (by images/s) and every row. */
    record Pareto(List<String> axes, List<String> front, List<Row> points) {
    }

    private final ExploreSpace.Plan plan;
    private final List<Row> rows;

    private ExploreResults(ExploreSpace.Plan plan, List<Row> rows) {
        this.plan = plan;
        this.rows = rows;
    }

    List<Row> rows() {
        return rows;
    }

    /** The rows of the plan's points, from the tasks' outcomes and what they wrote into {@code dir}. */
    static ExploreResults gather(ExploreSpace.Plan plan, Path dir, List<Outcome> outcomes, Map<String, String> trainErrors) {
        Map<String, Outcome> byTask = new LinkedHashMap<>();
        outcomes.forEach(o -> byTask.put(o.task().id(), o));
        List<Row> rows = new ArrayList<>();
        for (ExploreSpace.Point p : plan.points()) {
            String trainError = trainErrors.get(p.model());
            Outcome o = byTask.get("point-" + p.id());
            if (trainError != null || o == null || !o.done()) {
                rows.add(failed(p, trainError != null ? trainError : o == null ? "not run" : o.error(), Map.of()));
                continue;
            }
            rows.add(row(p, dir));
        }
        return new ExploreResults(plan, rows);
    }

    private static Row failed(ExploreSpace.Point p, String error, Map<String, String> tools) {
        return new Row(p.id(), p.label(), p.axes(), p.model(), ExploreTaskCommand.Result.FAILED, error, null, null, null, null,
                null, null, null, null, null, null, null, null, null, Map.of(), tools);
    }

    private static Row row(ExploreSpace.Point p, Path dir) {
        ExploreTaskCommand.Result r = read(ExploreCommand.resultFile(dir, p.id()), ExploreTaskCommand.Result.class);
        if (r.status().equals(ExploreTaskCommand.Result.FAILED)) {
            return failed(p, r.error(), r.tools());
        }
        if (r.status().equals(ExploreTaskCommand.Result.NO_FIT)) {
            return new Row(p.id(), p.label(), p.axes(), p.model(), r.status(), r.error(), null, null, null, null, null, null, null,
                    null, null, null, false, null, null, Map.of(), r.tools());
        }
        JsonNode report = read(ExploreCommand.pointDir(dir, p.id()).resolve(Outputs.FLOW_REPORT), JsonNode.class);
        JsonNode train = read(ExploreCommand.modelDir(dir, p.model()).resolve(Outputs.TRAIN_REPORT), JsonNode.class);
        JsonNode verify = report.path("verify");
        JsonNode synth = report.path("synth");
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("train", train.path("train_seconds").asDouble());
        JsonNode s = report.path("seconds");
        for (String stage : STAGES.subList(1, STAGES.size())) {
            double v = s.path(stage).asDouble(0);
            if (stage.equals("export")) {
                v += s.path("evaluate").asDouble(0);  // the accuracies belong to the export
            }
            seconds.put(stage, v);
        }
        Long lcs = synth.hasNonNull("logic_cells") ? synth.get("logic_cells").asLong() : null;
        return new Row(p.id(), p.label(), p.axes(), p.model(), r.status(), r.error(),
                report.path("accuracy").path("float").asDouble(), report.path("accuracy").path("integer").asDouble(),
                verify.path("vectors").asInt(), verify.path("mismatches").asInt(), report.path("design").path("interval_cycles").asLong(),
                verify.path("cycles_per_image_measured").asLong(), lcs, synth.path("block_rams").asLong(),
                synth.hasNonNull("fmax_mhz") ? synth.get("fmax_mhz").asDouble() : null,
                synth.hasNonNull("images_per_second") ? synth.get("images_per_second").asDouble() : null,
                synth.path("fits").asBoolean(), synth.path("device").asText(), folding(report.path("design")), seconds, r.tools());
    }

    /** "pe 16,10 simd 32,16": the folding the point's design has, layer by layer. */
    private static String folding(JsonNode design) {
        List<String> pe = new ArrayList<>();
        List<String> simd = new ArrayList<>();
        design.path("layers").forEach(l -> {
            pe.add(l.path("pe").asText());
            simd.add(l.path("simd").asText());
        });
        return "pe " + String.join(",", pe) + " simd " + String.join(",", simd);
    }

    private static <T> T read(Path file, Class<T> type) {
        try {
            return Json.MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new org.bcflow.core.BcflowException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** "verilator: Verilator 5.032 ..." for every tool version a point's task reported, each once. */
    List<String> tools() {
        java.util.Set<String> all = new java.util.TreeSet<>();
        rows.forEach(r -> r.tools().forEach((k, v) -> all.add(k + ": " + v)));
        return List.copyOf(all);
    }

    /** Writes explore.csv, pareto.json and pareto.png where {@code place} puts each name. */
    void write(java.util.function.Function<String, Path> place) throws IOException {
        AtomicFiles.writeString(place.apply(ExploreCommand.CSV), csv());
        List<ParetoFront.Point> points = rows.stream().map(Row::paretoPoint).toList();
        List<ParetoFront.Point> front = ParetoFront.front(points);
        List<String> frontIds = new ArrayList<>();
        for (ParetoFront.Point f : front) {
            frontIds.add(rows.get(points.indexOf(f)).point());
        }
        AtomicFiles.writeString(place.apply(ExploreCommand.PARETO_JSON), Json.text(new Pareto(plan.axes(), frontIds, rows)));
        ParetoChart.write(points, "bcflow explore: " + String.join(" x ", plan.axes()), place.apply(ExploreCommand.PARETO_PNG));
    }

    /** The CSV's columns: the point, its axes, what it measured, the stages' wall times. */
    List<String> header() {
        List<String> h = new ArrayList<>(List.of("point", "label"));
        h.addAll(plan.axes());
        h.addAll(List.of("model", "status", "error", "float_accuracy", "hw_accuracy", "verified_images", "mismatches",
                "cycles_per_image", "cycles_measured", "logic_cells", "block_rams", "fmax_mhz", "images_per_s", "fits", "device",
                "folding"));
        STAGES.forEach(st -> h.add(st + "_s"));
        return h;
    }

    String csv() throws IOException {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header().toArray(String[]::new)).get())) {
            for (Row r : rows) {
                List<Object> v = new ArrayList<>(List.of(r.point(), r.label()));
                plan.axes().forEach(a -> v.add(r.axes().get(a)));
                v.addAll(java.util.Arrays.asList(r.model(), r.status(), r.error(), fixed(r.floatAccuracy(), 4), fixed(r.hwAccuracy(), 4),
                        r.verifiedImages(), r.mismatches(), r.cyclesPerImage(), r.cyclesMeasured(), r.logicCells(), r.blockRams(),
                        fixed(r.fmaxMhz(), 2), fixed(r.imagesPerSecond(), 0), r.fits() == null ? null : r.fits() ? "yes" : "no",
                        r.device(), r.folding()));
                STAGES.forEach(st -> v.add(fixed(r.seconds().get(st), 1)));
                p.printRecord(v);
            }
        }
        return w.toString();
    }

    private static String fixed(Double v, int decimals) {
        return v == null || v.isNaN() ? null : String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }

    /** The readable summary: a line per point, best accuracy first, the front marked. */
    String table() {
        List<ParetoFront.Point> points = rows.stream().map(Row::paretoPoint).toList();
        List<ParetoFront.Point> front = ParetoFront.front(points);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-12s %-44s %8s %10s %6s %4s %5s  %s%n", "point", "label", "hw acc", "images/s", "LCs", "BRAM",
                "fits", "status"));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(nz(rows.get(b).hwAccuracy()), nz(rows.get(a).hwAccuracy())));
        for (int i : order) {
            Row r = rows.get(i);
            sb.append(String.format("%-12s %-44s %8s %10s %6s %4s %5s  %s%s%n", r.point(), r.label(),
                    r.hwAccuracy() == null ? "-" : String.format("%.2f%%", 100 * r.hwAccuracy()),
                    r.imagesPerSecond() == null ? "-" : String.format("%,.0f", r.imagesPerSecond()),
                    r.logicCells() == null ? "-" : r.logicCells(), r.blockRams() == null ? "-" : r.blockRams(),
                    r.fits() == null ? "-" : r.fits() ? "yes" : "no", front.contains(points.get(i)) ? "ok, on the front" : r.status(),
                    r.error() == null ? "" : ": " + r.error()));
        }
        sb.append(String.format("%d points: %d ok, %d on the Pareto front, %d with no folding that fits, %d failed (run again to"
                + " retry them), %d with a mismatch%n", rows.size(), count(ExploreTaskCommand.Result.OK), front.size(),
                count(ExploreTaskCommand.Result.NO_FIT), count(ExploreTaskCommand.Result.FAILED),
                count(ExploreTaskCommand.Result.MISMATCH)));
        return sb.toString();
    }

    private long count(String status) {
        return rows.stream().filter(r -> r.status().equals(status)).count();
    }

    private static double nz(Double v) {
        return v == null ? -1 : v;
    }

    /** 1 when any point's hardware disagreed with the reference (bit-exact or nothing), else 0. */
    int exitCode() {
        return rows.stream().anyMatch(r -> r.status().equals(ExploreTaskCommand.Result.MISMATCH)) ? 1 : 0;
    }
}
