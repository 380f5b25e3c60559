package dev.meridian.testkit;

import java.util.List;
import java.util.Optional;

/**
 * One command of a scenario file: the command word, its arguments and any input lines that
 * follow it before the {@code ----} separator.
 *
 * <p>Arguments are {@code key=value}, {@code key=(a,b,c)} or bare words ({@code key} with an
 * empty value list). Example: {@code put t=A k=a v=1 inline} has arguments {@code t}, {@code k},
 * {@code v} and {@code inline}.
 *
 * @param file    the file, for error messages
 * @param line    the 1-based line of the command
 * @param command the first word
 * @param args    the arguments in the order written
 * @param input   the lines between the command line and {@code ----}, joined by newlines
 */
public record Directive(String file, int line, String command, List<Arg> args, String input) {

    /** An argument with its values: one for {@code k=v}, several for {@code k=(a,b)}, none for {@code k}. */
    public record Arg(String key, List<String> values) {
    }

    public boolean has(String key) {
        return find(key).isPresent();
    }

    public Optional<Arg> find(String key) {
        return args.stream().filter(a -> a.key().equals(key)).findFirst();
    }

    /** The single value of {@code key}; fails the test with the file and line if it is missing. */
    public String arg(String key) {
        Arg a = find(key).orElseThrow(() -> error("missing argument " + key + "="));
        if (a.values().size() != 1) {
            throw error("argument " + key + " needs exactly one value");
        }
        return a.values().get(0);
    }

    /** The single value of {@code key}, or {@code fallback} when absent. */
    public String arg(String key, String fallback) {
        return has(key) ? arg(key) : fallback;
    }

    public long longArg(String key) {
        try {
            return Long.parseLong(arg(key));
        } catch (NumberFormatException e) {
            throw error("argument " + key + " is not a number: " + arg(key));
        }
    }

    public long longArg(String key, long fallback) {
        return has(key) ? longArg(key) : fallback;
    }

    /** Every value of {@code key}: {@code k=(1,2,3)} gives three. */
    public List<String> values(String key) {
        return find(key).map(Arg::values).orElseThrow(() -> error("missing argument " + key + "="));
    }

    /** An exception that names the file and line of this directive. */
    public IllegalArgumentException error(String message) {
        return new IllegalArgumentException(file + ":" + line + ": " + command + ": " + message);
    }
}
