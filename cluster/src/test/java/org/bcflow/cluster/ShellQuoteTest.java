package org.bcflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the quoting writes, bash reads back as the same words, on one line (ASCII only: the arguments
 * of this test pass through the JVM, which mangles other characters under a C locale). */
class ShellQuoteTest {
    @Test
    void bashReadsTheSameWordsBack() throws Exception {
        List<String> words = List.of("plain", "", "two words", "it's", "\"double\"", "$HOME", "`date`", "a\\b",
                "new\nline", "tab\tand\u0001", "*", "--opt=x,y");
        String line = ShellQuote.command(words);
        assertFalse(line.contains("\n"), line);
        // printf prints each word bracketed; eval is what the batch script does with a task line
        Process p = new ProcessBuilder("bash", "-c", "eval \"printf '[%s]' $1\"", "x", line).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        StringBuilder expected = new StringBuilder();
        words.forEach(w -> expected.append('[').append(w).append(']'));
        assertEquals(expected.toString(), out);
    }
}
