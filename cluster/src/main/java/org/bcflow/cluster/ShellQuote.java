package org.bcflow.cluster;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Quotes a command for bash so that it reads back as the same words, on one line: a task file
 * has one command a line, so a newline inside an argument must not end the line.
 */
final class ShellQuote {
    private ShellQuote() {
    }

    static String command(List<String> words) {
        return words.stream().map(ShellQuote::word).collect(Collectors.joining(" "));
    }

    static String word(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./=:,+@%^-]+")) {
            return s;  // nothing bash would expand or split
        }
        if (s.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
            // single quotes keep everything literal; a quote itself ends them, is escaped, and reopens them
            return "'" + s.replace("'", "'\\''") + "'";
        }
        // control characters (a newline): bash's $'...' form, which spells them as escapes
        StringBuilder b = new StringBuilder("$'");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('\'').toString();
    }
}
