package org.bcflow.cli;

import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;

/** What the commands read: the data set, a network file, a design folder; and the activation widths of a network. */
final class InputOptions {
    static final int DEFAULT_ACTIVATION_BITS = 4;

    static final Opt<String> DATA = Opt.of("data", "SET", "mnist", Parse.text(),
            "data set: mnist, fashion-mnist, or a folder with the four IDX files");
    static final Opt<Path> NETWORK = Opt.computed("network", "FILE", null, (option, text) -> Path.of(text),
            "network file written by export (required)");
    static final Opt<Path> RTL = Opt.computed("rtl", "DIR", null, (option, text) -> Path.of(text),
            "folder written by rtl or flow (required)");
    static final Opt<Integer> ACT_BITS = Opt.of("act-bits", "K", DEFAULT_ACTIVATION_BITS, Parse.bitWidth(),
            "bits of the hidden activations in hardware");
    static final Opt<List<Integer>> HW_BITS = Opt.computed("hw-bits", "LIST", "--train-act-bits if set, else "
            + DEFAULT_ACTIVATION_BITS, Parse.list(Parse.bitWidth(), "2,4,8"),
            "activation widths whose hardware-exact (integer network) test accuracy is reported");

    private InputOptions() {
    }

    /** The network file --network names, read and checked. */
    static Network network(CommandLine line) throws ParseException {
        return NetworkFile.read(NETWORK.required(line));
    }
}
