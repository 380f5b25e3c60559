package dev.meridian.server.workload;

import picocli.CommandLine;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written like {@code 30s}, {@code 2m}, {@code 500ms}, {@code 1h} or
 * {@code 1m30s} for the workload options. A picocli converter, so a bad value is a usage error
 * (exit 2) that names the option.
 */
final class DurationArg implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /**
     * The duration {@code text} names.
     *
     * @throws IllegalArgumentException saying what is expected, if the text is not a duration
     */
    static Duration parse(String text) {
        String t = text == null ? "" : text.strip();
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            total = plus(total, m.group(1), m.group(2), text);
            at = m.end();
        }
        if (t.isEmpty() || at != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write a number with a unit"
                    + " (ms, s, m, h), e.g. 30s, 2m or 1m30s");
        }
        return total;
    }

    /** {@code d} the way a user writes it: seconds with at most millisecond decimals, e.g. 10s, 3.5s. */
    static String format(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + "s";
    }

    private static Duration plus(Duration total, String digits, String unit, String text) {
        try {
            long amount = Long.parseLong(digits);
            return total.plus(switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
    }
}
