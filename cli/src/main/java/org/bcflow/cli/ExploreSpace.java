package org.bcflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.BcflowException;

/**
 * The space {@code bcflow explore --space FILE} sweeps (JSON, or YAML for {@code .yaml}/{@code .yml}):
 * <pre>
 * { "data": "mnist",                       optional; or ["mnist", "DIR"]
 *   "count": 2000,                         optional: test images each point verifies (default all)
 *   "options": { "epochs": 3, ... },       optional: flow options every point gets
 *   "axes": { "arch": ["64FC-10", "8C3-MP2-16C3-MP2-10"], "act-bits": [2, 4], "fit": ["hx8k", "up5k"] } }
 * </pre>
 * Names are flow's options, each value what one types after {@code --NAME} (a list for a list
 * option, true/false for a flag); every combination of the axes' values is a point. A point's
 * training options decide its model: points that differ only in hardware options share one.
 * Every value and every point is checked here, before anything runs, with the options' own parsers.
 */
final class ExploreSpace {
    /** What a point's training may vary: flow's training options (explore resumes by itself). */
    static final List<Opt<?>> TRAINING = TrainingOptions.ALL.stream().filter(o -> o != TrainingOptions.RESUME).toList();
    /** What a point's hardware may vary: export's width, the generator's choices, verification and synthesis. */
    static final List<Opt<?>> HARDWARE = Stream.of(List.<Opt<?>>of(InputOptions.ACT_BITS), FoldingOptions.ALL,
            List.<Opt<?>>of(VerifyOptions.BACKPRESSURE, VerifyOptions.BP_SEED, VerifyOptions.SIMULATOR, VerifyOptions.TIMEOUT,
                    VerifyOptions.PLANT_FAULT),
            SynthOptions.ALL).flatMap(List::stream).toList();
    private static final Set<String> KEYS = Set.of("data", "count", "options", "axes");

    /**
     * One point: its id (a hash of what it runs), a label for tables and charts, its axes' values
     * (as given), the model it needs (a hash of the data and its training options) and flow's
     * arguments for its hardware.
     */
    record Point(String id, String label, Map<String, String> axes, String model, List<String> hardwareArgs) {
    }

    /**
     * The whole space: data arguments, test images per point (null: all), the axes' names, the
     * points in order, and each model's training arguments.
     */
    record Plan(List<String> dataArgs, Integer count, List<String> axes, List<Point> points, Map<String, List<String>> models) {
        Point point(String id) {
            return points.stream().filter(p -> p.id().equals(id)).findFirst()
                    .orElseThrow(() -> new BcflowException("the plan has no point " + id));
        }
    }

    private ExploreSpace() {
    }

    /** Reads and checks the space; a bad one is refused in one line that names the file and the value. */
    static Plan read(Path file, Integer countOverride) throws ParseException {
        JsonNode root;
        try {
            String name = file.getFileName().toString();
            ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new YAMLMapper() : new ObjectMapper();
            root = mapper.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ParseException("space file not found: " + file);
        } catch (IOException e) {
            throw new ParseException(file + ": not valid JSON/YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return plan(file.toString(), root, countOverride);
    }

    static Plan plan(String where, JsonNode root, Integer countOverride) throws ParseException {
        if (root == null || !root.isObject()) {
            throw new ParseException(where + ": a space is an object with \"axes\" (and \"data\", \"count\", \"options\")");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new ParseException(where + ": unknown key \"" + key + "\" (a space has data, count, options, axes)");
            }
        }
        List<String> data = dataArgs(where, root.get("data"));
        Integer count = countOverride;
        if (count == null && root.hasNonNull("count")) {
            JsonNode c = root.get("count");
            if (!c.canConvertToInt() || !c.isIntegralNumber() || c.asInt() < 1) {
                throw new ParseException(where + ": \"count\" must be a whole number of test images, at least 1, not " + c);
            }
            count = c.asInt();
        }
        Map<String, List<String>> fixed = new LinkedHashMap<>();
        JsonNode options = root.get("options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw new ParseException(where + ": \"options\" must be an object of option names and values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext();) {
                var e = it.next();
                fixed.put(e.getKey(), value(where, "option", e.getKey(), e.getValue()));
            }
        }
        JsonNode axesNode = root.get("axes");
        if (axesNode == null || !axesNode.isObject() || axesNode.isEmpty()) {
            throw new ParseException(where + ": the space is empty: give \"axes\" with at least one axis and value");
        }
        Map<String, List<JsonNode>> axes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = axesNode.fields(); it.hasNext();) {
            var e = it.next();
            if (fixed.containsKey(e.getKey())) {
                throw new ParseException(where + ": \"" + e.getKey() + "\" is both an axis and a fixed option");
            }
            List<JsonNode> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(values::add);
            } else {
                throw new ParseException(where + ": axis \"" + e.getKey() + "\" must be a list of values");
            }
            if (values.isEmpty()) {
                throw new ParseException(where + ": the space is empty: axis \"" + e.getKey() + "\" has no values");
            }
            for (JsonNode v : values) {
                value(where, "axis", e.getKey(), v);  // each value checked alone, so the error names it
            }
            axes.put(e.getKey(), values);
        }
        List<Point> points = new ArrayList<>();
        Map<String, List<String>> models = new LinkedHashMap<>();
        for (Map<String, JsonNode> combo : combinations(axes)) {
            Map<String, List<String>> settings = new LinkedHashMap<>(fixed);
            Map<String, String> shown = new LinkedHashMap<>();
            for (var e : combo.entrySet()) {
                settings.put(e.getKey(), value(where, "axis", e.getKey(), e.getValue()));
                shown.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
            // --fit names the device the design is folded for: synthesis places it on that device too
            if (settings.containsKey(FoldingOptions.FIT.name()) && !settings.containsKey(SynthOptions.DEVICE.name())) {
                settings.put(SynthOptions.DEVICE.name(), settings.get(FoldingOptions.FIT.name()));
            }
            List<String> training = args(settings, TRAINING);
            List<String> hardware = args(settings, HARDWARE);
            check(where, shown, data, training, hardware);
            List<String> modelKey = new ArrayList<>(data);
            modelKey.addAll(training);
            String model = hash(modelKey);
            models.putIfAbsent(model, training);
            List<String> pointKey = new ArrayList<>(List.of(model));
            pointKey.addAll(hardware);
            pointKey.add("count=" + count);
            String id = hash(pointKey);
            if (points.stream().anyMatch(p -> p.id().equals(id))) {
                throw new ParseException(where + ": two points are the same design (" + shown + "): an axis repeats a value");
            }
            points.add(new Point(id, label(shown), shown, model, hardware));
        }
        return new Plan(data, count, List.copyOf(axes.keySet()), points, models);
    }

    private static List<String> dataArgs(String where, JsonNode data) throws ParseException {
        if (data == null || data.isNull()) {
            return List.of("mnist");
        }
        List<String> args = new ArrayList<>();
        if (data.isTextual()) {
            args.add(data.asText());
        } else if (data.isArray() && data.size() >= 1 && data.size() <= 2) {
            data.forEach(d -> args.add(d.asText()));
        } else {
            throw new ParseException(where + ": \"data\" is a data set's name, or [name, folder]");
        }
        List<String> all = new ArrayList<>(List.of("--" + InputOptions.DATA.name()));
        all.addAll(args);
        parse(where + ": \"data\"", List.of(InputOptions.DATA), all);
        return args;
    }

    /**
     * A value as the arguments after --NAME: a text or number as one, a list joined by commas (an
     * option of several values: "hidden": [256, 256]), a flag's true as nothing, its false as null.
     */
    private static List<String> value(String where, String kind, String name, JsonNode v) throws ParseException {
        Opt<?> opt = option(where, name);
        String what = where + ": " + kind + " \"" + name + "\", value " + v;
        List<String> args;
        if (opt.arg() == null) {
            if (!v.isBoolean()) {
                throw new ParseException(what + ": --" + name + " is a flag: give true or false");
            }
            return v.asBoolean() ? List.of() : null;
        } else if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(x.asText()));
            args = List.of(String.join(",", parts));
        } else if (v.isTextual() || v.isNumber()) {
            args = List.of(v.asText());
        } else {
            throw new ParseException(what + ": give a text or a number");
        }
        List<String> all = new ArrayList<>(List.of("--" + name));
        all.addAll(args);
        parse(what, List.of(opt), all);
        return args;
    }

    private static Opt<?> option(String where, String name) throws ParseException {
        return Stream.concat(TRAINING.stream(), HARDWARE.stream()).filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new ParseException(where + ": \"" + name + "\" is not an option a point may set (flow's"
                        + " training and hardware options, e.g. arch, hidden, epochs, seed, act-bits, batchnorm, fit, pe, simd,"
                        + " target-rate, device)"));
    }

    /** The arguments of the options among {@code which} that are set; a flag set to false is left out. */
    private static List<String> args(Map<String, List<String>> settings, List<Opt<?>> which) {
        List<String> args = new ArrayList<>();
        for (Opt<?> o : which) {
            List<String> v = settings.get(o.name());
            if (settings.containsKey(o.name()) && v != null) {
                args.add("--" + o.name());
                args.addAll(v);
            }
        }
        return args;
    }

    /** The point as flow will see it: every value parsed, and the checks flow makes before it starts. */
    private static void check(String where, Map<String, String> shown, List<String> data, List<String> training,
            List<String> hardware) throws ParseException {
        List<String> all = new ArrayList<>(List.of("--" + InputOptions.DATA.name()));
        all.addAll(data);
        all.addAll(training);
        all.addAll(hardware);
        List<Opt<?>> opts = new ArrayList<>(TRAINING);
        opts.addAll(HARDWARE);
        opts.add(InputOptions.DATA);
        String what = where + ": point " + shown;
        CommandLine line = parse(what, opts, all);
        try {
            TrainingOptions.config(line);
            FoldingOptions.check(line);
            SynthOptions.options(line);
        } catch (ParseException | BcflowException | IllegalArgumentException e) {
            throw new ParseException(what + ": " + e.getMessage());
        }
    }

    private static CommandLine parse(String what, List<Opt<?>> opts, List<String> args) throws ParseException {
        try {
            CommandLine line = new DefaultParser().parse(Opt.options(opts), args.toArray(String[]::new));
            if (!line.getArgList().isEmpty()) {
                throw new ParseException("unexpected " + line.getArgList().get(0));
            }
            for (Opt<?> o : opts) {
                o.get(line);
            }
            return line;
        } catch (ParseException | BcflowException | IllegalArgumentException e) {
            throw new ParseException(what + ": " + e.getMessage());
        }
    }

    private static List<Map<String, JsonNode>> combinations(Map<String, List<JsonNode>> axes) {
        List<Map<String, JsonNode>> all = new ArrayList<>(List.of(new LinkedHashMap<>()));
        for (var axis : axes.entrySet()) {
            List<Map<String, JsonNode>> next = new ArrayList<>();
            for (Map<String, JsonNode> partial : all) {
                for (JsonNode v : axis.getValue()) {
                    Map<String, JsonNode> m = new LinkedHashMap<>(partial);
                    m.put(axis.getKey(), v);
                    next.add(m);
                }
            }
            all = next;
        }
        return all;
    }

    /** "64FC-10 act-bits=2 thresholds hx8k": words as they are, numbers with their axis's name. */
    private static String label(Map<String, String> shown) {
        List<String> parts = new ArrayList<>();
        for (var e : shown.entrySet()) {
            boolean word = e.getValue().chars().anyMatch(Character::isLetter);
            parts.add(word ? e.getValue() : e.getKey() + "=" + e.getValue());
        }
        return String.join(" ", parts);
    }

    /** A short stable name for what a list of arguments runs: 12 hex digits of its SHA-256. */
    static String hash(List<String> args) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String a : args) {
                md.update(a.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
