package org.bcflow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.Network;
import org.bcflow.core.OutputFolder;

/**
 * {@code bcflow network --rehash FILE}: for a network file written by another tool, whose hash is
 * missing or stale. Every other check of the file must pass; then the network is written again,
 * with its hash, into --out as any output is, or over FILE with --in-place. On any error nothing
 * is written.
 */
final class NetworkCommand implements Command {
    private static final Opt<Path> REHASH = Opt.computed("rehash", "FILE", null, (option, text) -> Path.of(text),
            "network file whose hash is missing or stale: checked, then written with the right hash (required)");
    private static final Opt<Path> OUT = Outputs.out("folder for the rehashed file, under FILE's name");
    private static final Opt<Boolean> IN_PLACE = Opt.flag("in-place", "write the rehashed file over FILE instead of into --out");

    @Override
    public String name() {
        return "network";
    }

    @Override
    public String summary() {
        return "write a network file's hash (--rehash FILE), for a .bcnet made by another tool";
    }

    @Override
    public List<Opt<?>> options() {
        return List.of(REHASH, OUT, Outputs.FORCE, IN_PLACE);
    }

    @Override
    public int run(CommandLine line) throws Exception {
        Path file = REHASH.required(line);
        if (IN_PLACE.get(line) && OUT.given(line)) {
            throw new ParseException("--in-place writes over " + file + ": leave out --out");
        }
        String oldHash = NetworkRehash.writtenHash(file);
        Network net = NetworkRehash.read(file);
        if (net.hash().equals(oldHash)) {
            System.out.println(file + ": " + net.describe() + ", hash " + short16(oldHash) + " is right; nothing written");
            return 0;
        }
        Path written;
        if (IN_PLACE.get(line)) {
            NetworkRehash.write(net, file);  // atomic: FILE is the old file or the new one, never half of each
            written = file;
        } else {
            String name = file.getFileName().toString();
            Path dir = OUT.get(line);
            try (OutputFolder out = Outputs.open(line, dir, name(), List.of(name), Set.of())) {
                NetworkRehash.write(net, out.stage(name));
                out.commit();
            }
            written = dir.resolve(name);
        }
        System.out.println(written + ": " + net.describe() + ", hash " + (oldHash.isEmpty() ? "missing" : short16(oldHash))
                + " -> " + short16(net.hash()));
        return 0;
    }

    private static String short16(String hash) {
        return hash.length() <= 16 ? hash : hash.substring(0, 16);
    }
}
