package org.bcflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;
import org.bcflow.core.FileErrors;
import org.bcflow.core.Network;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.Reference;
import org.bcflow.core.data.Dataset;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;
import org.bcflow.sim.Verifier;
import org.bcflow.sim.VerifyReport;
import org.bcflow.synth.SynthReport;
import org.bcflow.synth.Synthesizer;
import org.bcflow.synth.asic.AsicFlow;
import org.bcflow.synth.asic.AsicResult;
import org.bcflow.sim.GateLevelCheck;
import org.bcflow.core.tools.KeptLogs;
import org.bcflow.trainer.Exporter;
import org.bcflow.trainer.FloatModel;
import org.bcflow.trainer.TrainConfig;

/** The stages of the flow, shared by the subcommands that run one of them and by {@code flow}. */
final class Stages {
    /** Wall time of each stage run so far, in seconds, in order. */
    final Map<String, Double> seconds = new LinkedHashMap<>();

    private <T> T timed(String stage, java.util.function.Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            seconds.merge(stage, (System.nanoTime() - start) / 1e9, Double::sum);
        }
    }

    /**
     * Where a training run keeps its checkpoint while it runs: in the output folder's resume
     * area, so that a killed run leaves the old outputs untouched and can still be continued.
     * With {@code resume}, an interrupted run's checkpoint is continued, else the last finished
     * run's; without it, an interrupted run's checkpoint is refused unless {@code force}.
     */
    static Path checkpoint(OutputFolder out, boolean resume, boolean force) {
        Path ckpt = out.resumeFile(Outputs.CHECKPOINT);
        if (!resume) {
            if (Files.exists(ckpt) && !force) {
                throw new BcflowException(out.dir() + " holds the checkpoint of an interrupted run (" + ckpt + "): continue"
                        + " it with --resume, or give --force to start afresh");
            }
            out.discardResume();
            return out.resumeFile(Outputs.CHECKPOINT);
        }
        Path finished = out.dir().resolve(Outputs.CHECKPOINT);
        if (!Files.exists(ckpt) && Files.exists(finished)) {
            try {
                Files.copy(finished, ckpt);
            } catch (IOException e) {
                throw FileErrors.failure("cannot copy " + finished + " to", ckpt, e);
            }
        }
        return ckpt;
    }

    /** Puts the final checkpoint among the outputs to commit. */
    static void keepCheckpoint(OutputFolder out, Path checkpoint) {
        try {
            Files.copy(checkpoint, out.stage(Outputs.CHECKPOINT));
        } catch (IOException e) {
            throw FileErrors.failure("cannot copy " + checkpoint + " to", out.stage(Outputs.CHECKPOINT), e);
        }
    }

    static void say(String stage, String message) {
        System.err.println("[" + stage + "] " + message);
    }

    Dataset load(InputOptions.DataChoice data) {
        return timed("load", data::load);
    }

    FloatModel train(Dataset data, TrainConfig cfg, Path checkpoint, boolean resume) {
        return timed("train", () -> {
            say("train", data.name() + ": " + data.train().count() + " training images, "
                    + (cfg.arch() != null ? "architecture " + cfg.arch() : "hidden " + cfg.hiddenString())
                    + ", " + cfg.epochs() + " epochs, batch " + cfg.batchSize() + ", checkpoint " + checkpoint);
            return new org.bcflow.trainer.Trainer().train(data, cfg, checkpoint, resume);
        });
    }

    Network export(FloatModel model, int activationBits, String dataset) {
        return timed("export", () -> {
            Map<String, String> meta = new TreeMap<>();
            meta.put("dataset", dataset);
            meta.put("activation_bits", Integer.toString(activationBits));
            meta.put("created_by", RtlGenerator.VERSION.replace("rtlgen", "export"));
            return Exporter.toNetwork(model, activationBits, meta);
        });
    }

    /** A QONNX model as an integer network; refused in one line when it cannot be imported exactly. */
    org.bcflow.qonnx.importer.ImportedNetwork importModel(Path file) {
        return timed("import", () -> {
            if (!Files.isRegularFile(file)) {
                throw new BcflowException("QONNX model not found: " + file);
            }
            var imported = org.bcflow.qonnx.importer.QonnxImporter.read(file);
            imported.steps().forEach(s -> say("import", s));
            return imported;
        });
    }

    /** The model, run in double, against the integer network on every test image: classes and every quantized value. */
    ImportReport checkImport(Path file, org.bcflow.qonnx.importer.ImportedNetwork imported, LabeledImages test) {
        return timed("import check", () -> {
            var r = org.bcflow.qonnx.importer.ImportCheck.run(imported, test);
            ImportReport report = ImportReport.of(file.toString(), imported, r);
            say("import", String.format("checked on %d images: the model %s, the integer network %s; %d of %d classes and %d of"
                    + " %d activations differ", r.images(), Reports.pct(r.modelAccuracy()), Reports.pct(r.networkAccuracy()),
                    r.classDisagreements(), r.images(), r.activationDisagreements(), r.activationsCompared()));
            return report;
        });
    }

    /**
     * Writes the network as a QONNX model to {@code file} and proves it: imported back it is the
     * same network (hash), and run in double it agrees with the network on every test image.
     */
    ImportReport exportQonnx(Network net, Path file, LabeledImages test) {
        return timed("qonnx", () -> {
            var graph = org.bcflow.qonnx.QonnxExporter.export(net);
            graph.write(file);
            var back = org.bcflow.qonnx.importer.QonnxImporter.importGraph(org.bcflow.qonnx.OnnxGraph.read(file),
                    file.getFileName().toString());
            if (!back.network().hash().equals(net.hash())) {
                throw new IllegalStateException("the exported QONNX model imports as network " + back.network().hash()
                        + ", not " + net.hash());
            }
            var r = org.bcflow.qonnx.importer.ImportCheck.run(back, test);
            say("qonnx", String.format("%s: imports back as the same network; run in double on %d images it agrees on %d of %d"
                    + " classes and %d of %d activations", file.getFileName(), r.images(), r.images() - r.classDisagreements(),
                    r.images(), r.activationsCompared() - r.activationDisagreements(), r.activationsCompared()));
            return ImportReport.of(file.getFileName().toString(), back, r);
        });
    }

    /** Test-set accuracy of the float binary-weight model. */
    double floatAccuracy(FloatModel model, LabeledImages test) {
        return timed("evaluate", () -> model.accuracy(test));
    }

    /** Test-set accuracy of the integer reference. */
    double integerAccuracy(Network net, LabeledImages test) {
        return timed("evaluate", () -> {
            Reference ref = new Reference(net);
            long correct = IntStream.range(0, test.count()).parallel()
                    .filter(i -> ref.classify(test.image(i)) == test.label(i)).count();
            return correct / (double) test.count();
        });
    }

    Design rtl(RtlGenerator generator, Network net, Folding folding, Path dir) {
        return timed("rtl", () -> {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw FileErrors.failure("cannot write", dir, e);
            }
            return generator.generateInto(net, folding, dir);
        });
    }

    /** Synthesizes {@code rtl} into {@code out} (logs, netlist, synth.json), a folder staged in {@code folder}. */
    SynthReport synth(Path rtl, Path out, Synthesizer.Options opt, OutputFolder folder) {
        return timed("synth", () -> {
            say("synth", "Yosys" + (opt.placeAndRoute() ? " + nextpnr-ice40 (" + opt.device() + ")" : "") + " on " + rtl
                    + ", logs in " + folder.published(out.toString()));
            SynthReport r = new Synthesizer().run(rtl, out, opt);
            AtomicFiles.writeString(out.resolve(SynthReport.FILE), folder.published(org.bcflow.core.Json.text(r.document())));
            return r;
        });
    }

    /**
     * The ASIC flow on the design in {@code rtl}, its project and logs in {@code dir} (inside the
     * run's staging), then the gate-level check of the mapped netlist. A failing stage's logs are
     * kept beyond the staging, which a failed run removes.
     */
    AsicReport asic(Path rtl, Path dir, AsicOptions.Settings s, LabeledImages test, OutputFolder folder) {
        return timed("asic", () -> {
            say("asic", "qflow (" + s.tech().name() + ") on " + rtl + ", project and logs in " + folder.published(dir.toString()));
            AsicResult r;
            try {
                r = new AsicFlow().run(rtl, dir, s.flowOptions());
            } catch (BcflowException e) {
                throw KeptLogs.keep(e, dir.resolve(AsicFlow.LOGS));
            }
            say("asic", r.verdict());
            int images = Math.min(s.gateImages(), test.count());
            // Icarus with the library's own models: Verilator on the same netlist with zero-delay models written
            // from the Liberty file disagreed with the reference where Icarus agreed (docs/asic.md)
            say("asic", "gate-level simulation of " + r.netlist().getFileName() + " on " + images + " test images (Icarus, "
                    + "the library's cell models, " + Math.min(s.jobs(), images) + " processes)");
            var gate = new GateLevelCheck(s.stageTimeout(), s.jobs(), GateLevelCheck.Simulator.ICARUS)
                    .check(rtl, List.of(r.netlist(), s.tech().models()), test, images);
            say("asic", gate.summary());
            return new AsicReport(r, gate, dir);
        });
    }

    /** Verification whose simulator processes run as tasks of {@code executor}; null after a dry run. */
    VerifyReport verify(Path rtlDir, LabeledImages test, Verifier.Options options, int timeoutMinutes,
            org.bcflow.cluster.Executor executor, Path sharedWork) {
        return timed("verify", () -> {
            try {
                return new Verifier(Verifier.defaultCache(), Duration.ofMinutes(timeoutMinutes)).withExecutor(executor, sharedWork)
                        .verify(rtlDir, test, options);
            } catch (org.bcflow.cluster.DryRun e) {
                return null;
            }
        });
    }

    VerifyReport verify(Path rtlDir, LabeledImages test, Verifier.Options options, int timeoutMinutes) {
        return timed("verify", () -> new Verifier(Verifier.defaultCache(), Duration.ofMinutes(timeoutMinutes))
                .verify(rtlDir, test, options));
    }
}
