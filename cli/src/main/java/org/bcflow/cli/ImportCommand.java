package org.bcflow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.data.Dataset;
import org.bcflow.qonnx.importer.ImportedNetwork;

/**
 * {@code bcflow import --qonnx FILE}: a model trained in Brevitas or for FINN as an integer
 * network, checked on the test set against the model itself before anything is written.
 */
final class ImportCommand implements Command {
    static final String REPORT = "import.json";
    private static final Opt<Path> OUT = Outputs.out("folder for the network file and import.json");

    @Override
    public String name() {
        return "import";
    }

    @Override
    public String summary() {
        return "read a QONNX model (Brevitas, FINN) as an integer network (OUT/" + Outputs.NETWORK + "), checked on the test set"
                + " against the model run in double";
    }

    @Override
    public List<Opt<?>> options() {
        return List.of(QonnxOptions.QONNX, InputOptions.DATA, OUT, Outputs.FORCE);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path file = QonnxOptions.QONNX.get(line);
        if (file == null) {
            throw new org.apache.commons.cli.ParseException("import needs --qonnx FILE, the model to import");
        }
        Stages stages = new Stages();
        ImportedNetwork imported = stages.importModel(file);
        Dataset data = stages.load(InputOptions.DATA.get(line));
        ImportReport report = stages.checkImport(file, imported, data.test());
        if (report.failure() != null) {
            System.err.println("bcflow import: " + report.failure());
            return 1;
        }
        try (OutputFolder out = Outputs.open(line, OUT.get(line), name(), List.of(Outputs.NETWORK, REPORT), Set.of())) {
            NetworkFile.write(imported.network(), out.stage(Outputs.NETWORK));
            Reports.write(out, REPORT, report);
            out.commit();
            StringBuilder sb = new StringBuilder();
            imported.steps().forEach(s -> Reports.row(sb, "node(s)", s));
            Reports.row(sb, "network", imported.network().describe() + ", hash " + imported.network().hash().substring(0, 16));
            Reports.row(sb, "checked", data.name() + ", " + report.images() + " test images: every class and all "
                    + report.activationsCompared() + " quantized values agree");
            Reports.row(sb, "accuracy", "the model " + Reports.pct(report.modelAccuracy()) + ", the integer network "
                    + Reports.pct(report.networkAccuracy()));
            System.out.print(out.published(sb.toString()));
            System.out.println("network: " + out.dir().resolve(Outputs.NETWORK));
        }
        return 0;
    }
}
