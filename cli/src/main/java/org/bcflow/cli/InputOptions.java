package org.bcflow.cli;

import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.data.Dataset;
import org.bcflow.core.data.Datasets;

/** What the commands read: the data set, a network file, a design folder; and the activation widths of a network. */
final class InputOptions {
    static final int DEFAULT_ACTIVATION_BITS = 4;

    static final Opt<DataChoice> DATA = new Opt<>("data", "SET [DIR]", new DataChoice("mnist", null), "mnist", dataChoice(),
            "data set: mnist, fashion-mnist, cifar10 or svhn, each optionally followed by its folder (cifar10 and"
                    + " svhn are looked for in $BCFLOW_DATA/NAME, default ~/.cache/bcflow/NAME); or a folder with the"
                    + " four IDX files");
    static final Opt<Path> NETWORK = Opt.computed("network", "FILE", null, (option, text) -> Path.of(text),
            "network file written by export (required)");
    /** export's default is in its output folder; flow trains without it. */
    static final Opt<Path> MODEL = Opt.computed("model", "FILE", "export: OUT/" + Outputs.CHECKPOINT + "; flow: none, it trains",
            (option, text) -> Path.of(text), "a trained model (the model.ckpt train writes); flow takes it in place of training");
    static final Opt<Path> RTL = Opt.computed("rtl", "DIR", null, (option, text) -> Path.of(text),
            "folder written by rtl or flow (required)");
    static final Opt<Integer> ACT_BITS = Opt.of("act-bits", "K", DEFAULT_ACTIVATION_BITS, Parse.bitWidth(),
            "bits of the hidden activations in hardware");
    static final Opt<List<Integer>> HW_BITS = Opt.computed("hw-bits", "LIST", "--train-act-bits if set, else "
            + DEFAULT_ACTIVATION_BITS, Parse.list(Parse.bitWidth(), "2,4,8"),
            "activation widths whose hardware-exact (integer network) test accuracy is reported");

    private InputOptions() {
    }

    /**
     * What --data names: a data set or a folder of IDX files, and for a named set the folder it is
     * in (null: its usual folder).
     */
    record DataChoice(String nameOrFolder, Path folder) {
        Dataset load() {
            return folder == null ? Datasets.load(nameOrFolder) : Datasets.load(nameOrFolder, folder);
        }
    }

    /** SET, or a data set name and its folder. */
    private static Parse.Parser<DataChoice> dataChoice() {
        return new Parse.Parser<>() {
            public DataChoice parse(String option, String text) {
                return new DataChoice(text, null);
            }

            public int maxValues() {
                return 2;
            }

            public DataChoice parseValues(String option, List<String> values) throws ParseException {
                if (values.size() == 1) {
                    return parse(option, values.get(0));
                }
                String dir = values.get(1);
                if (dir.startsWith("-")) {
                    // an option Commons CLI does not know is taken as a value: say what it would have said
                    throw new ParseException("Unrecognized option: " + dir);
                }
                if (!Datasets.isName(values.get(0))) {
                    throw new ParseException(option + " " + values.get(0) + " " + dir + ": a folder follows the name of a"
                            + " data set (" + String.join(", ", Datasets.NAMES) + ")");
                }
                return new DataChoice(values.get(0), Path.of(dir));
            }
        };
    }

    /** The network file --network names, read and checked. */
    static Network network(CommandLine line) throws ParseException {
        return NetworkFile.read(NETWORK.required(line));
    }
}
