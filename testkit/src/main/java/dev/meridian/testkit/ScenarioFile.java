package dev.meridian.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses and prints the scenario format of STYLE.md. A file is a sequence of blocks:
 *
 * <pre>
 * # comments and blank lines between blocks are kept as written
 * command arg=value ...
 * optional input lines
 * ----
 * expected output, up to the next blank line (or end of file)
 * </pre>
 *
 * Output never contains blank lines: {@link #normalize} drops them.
 */
public final class ScenarioFile {

    /** A block: the text before it (comments, blank lines), the directive, its expected output. */
    public record Block(String preamble, Directive directive, String commandText, String expected) {
    }

    private ScenarioFile() {
    }

    public static List<Block> parse(String fileName, String text) {
        String[] lines = text.split("\n", -1);
        List<Block> blocks = new ArrayList<>();
        StringBuilder preamble = new StringBuilder();
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                if (i < lines.length - 1 || !line.isEmpty()) {
                    preamble.append(line).append('\n');
                }
                i++;
                continue;
            }
            int commandLine = i + 1;
            StringBuilder command = new StringBuilder(line).append('\n');
            List<String> input = new ArrayList<>();
            i++;
            while (i < lines.length && !lines[i].equals("----")) {
                if (lines[i].isBlank()) {
                    throw new IllegalArgumentException(fileName + ":" + (i + 1) + ": expected ---- after command on line " + commandLine);
                }
                input.add(lines[i]);
                command.append(lines[i]).append('\n');
                i++;
            }
            if (i >= lines.length) {
                throw new IllegalArgumentException(fileName + ":" + commandLine + ": command has no ---- separator");
            }
            i++; // skip ----
            StringBuilder expected = new StringBuilder();
            while (i < lines.length && !lines[i].isEmpty()) {
                expected.append(lines[i]).append('\n');
                i++;
            }
            Directive d = parseDirective(fileName, commandLine, line, String.join("\n", input));
            blocks.add(new Block(preamble.toString(), d, command.toString(), stripTrailingNewline(expected.toString())));
            preamble.setLength(0);
        }
        return blocks;
    }

    /** Prints blocks back, with {@code outputs[i]} as the output of block i. */
    public static String print(List<Block> blocks, List<String> outputs, String trailer) {
        StringBuilder out = new StringBuilder();
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            out.append(block.preamble()).append(block.commandText()).append("----\n");
            String o = outputs.get(b);
            if (!o.isEmpty()) {
                out.append(o).append('\n');
            }
        }
        out.append(trailer);
        return out.toString();
    }

    /** Drops blank lines and trailing spaces so that output fits the block format. */
    public static String normalize(String output) {
        StringBuilder b = new StringBuilder();
        for (String l : output.split("\n")) {
            String t = l.stripTrailing();
            if (!t.isEmpty()) {
                b.append(t).append('\n');
            }
        }
        return stripTrailingNewline(b.toString());
    }

    static Directive parseDirective(String file, int line, String text, String input) {
        List<String> tokens = tokenize(file, line, text.strip());
        List<Directive.Arg> args = new ArrayList<>();
        for (String t : tokens.subList(1, tokens.size())) {
            int eq = t.indexOf('=');
            if (eq < 0) {
                args.add(new Directive.Arg(t, List.of()));
                continue;
            }
            String key = t.substring(0, eq);
            String value = t.substring(eq + 1);
            if (value.startsWith("(") && value.endsWith(")")) {
                String inner = value.substring(1, value.length() - 1).strip();
                List<String> values = new ArrayList<>();
                if (!inner.isEmpty()) {
                    for (String v : inner.split(",")) {
                        values.add(v.strip());
                    }
                }
                args.add(new Directive.Arg(key, values));
            } else {
                args.add(new Directive.Arg(key, List.of(value)));
            }
        }
        return new Directive(file, line, tokens.get(0), args, input);
    }

    /** Splits on spaces outside parentheses and double quotes; quotes are removed. */
    private static List<String> tokenize(String file, int line, String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            }
            if (c == ' ' && depth == 0 && !quoted) {
                if (cur.length() > 0) {
                    tokens.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (quoted || depth != 0) {
            throw new IllegalArgumentException(file + ":" + line + ": unbalanced quotes or parentheses");
        }
        if (cur.length() > 0) {
            tokens.add(cur.toString());
        }
        return tokens;
    }

    private static String stripTrailingNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
