package org.bcflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;
import org.bcflow.cli.InputOptions.DataChoice;
import org.junit.jupiter.api.Test;

/** --data takes a data set or a folder, or a data set's name and then its folder. */
class DataOptionTest {
    private static final List<Opt<?>> OPTIONS = new TrainCommand().options();

    private static CommandLine parse(String... args) throws ParseException {
        CommandLine line = new DefaultParser().parse(Opt.options(OPTIONS), args);
        assertEquals(List.of(), line.getArgList());
        return line;
    }

    @Test
    void aNameAloneStopsAtTheNextOption() throws ParseException {
        CommandLine line = parse("--data", "mnist", "--epochs", "3");
        assertEquals(new DataChoice("mnist", null), InputOptions.DATA.get(line));
        assertEquals(3, TrainingOptions.EPOCHS.get(line));
    }

    @Test
    void aNameThenItsFolder() throws ParseException {
        CommandLine line = parse("--data", "cifar10", "/x", "--epochs", "3");
        assertEquals(new DataChoice("cifar10", Path.of("/x")), InputOptions.DATA.get(line));
        assertEquals(3, TrainingOptions.EPOCHS.get(line));
        assertEquals(new DataChoice("svhn", Path.of("d")), InputOptions.DATA.get(parse("--epochs", "3", "--data", "svhn", "d")));
    }

    @Test
    void aFolderOfIdxFilesAndTheDefault() throws ParseException {
        assertEquals(new DataChoice("/some/folder", null), InputOptions.DATA.get(parse("--data", "/some/folder")));
        assertEquals(new DataChoice("mnist", null), InputOptions.DATA.get(parse("--epochs", "3")));
        assertEquals(new DataChoice("fashion-mnist", null), InputOptions.DATA.get(parse("--data=fashion-mnist")));
    }

    @Test
    void theFirstOfARepeatedOptionWins() throws ParseException {
        assertEquals(new DataChoice("mnist", null), InputOptions.DATA.get(parse("--data", "mnist", "--data", "svhn")));
    }

    @Test
    void refusals() {
        ParseException e = assertThrows(ParseException.class, () -> InputOptions.DATA.get(parse("--data", "/a", "/b")));
        assertEquals("--data /a /b: a folder follows the name of a data set (mnist, fashion-mnist, cifar10, svhn)",
                e.getMessage());
        e = assertThrows(ParseException.class, () -> InputOptions.DATA.get(parse("--data", "--epochs", "3")));
        assertEquals("--data takes SET [DIR]", e.getMessage());
        e = assertThrows(ParseException.class, () -> InputOptions.DATA.get(parse("--data", "mnist", "--nonsense")));
        assertEquals("Unrecognized option: --nonsense", e.getMessage());
    }

    @Test
    void helpNamesTheSets() {
        String help = InputOptions.DATA.description();
        assertTrue(help.contains("cifar10") && help.contains("svhn") && help.endsWith("(default mnist)"), help);
    }
}
