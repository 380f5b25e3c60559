package dev.meridian.server.cli;

import dev.meridian.proto.kv.LocalityTier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of the command line's durations, byte sizes, localities and address lists. */
public final class Units {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?");
    private static final Pattern TIER = Pattern.compile("[a-z][a-z0-9_-]*=[A-Za-z0-9_.-]+");

    private Units() {
    }

    /** "250ms", "1.5s", "2m", "1h"; a bare number is refused (the unit matters). */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 250ms, 10s, 5m, 1h)");
        }
        double n = Double.parseDouble(m.group(1));
        double nanos = n * switch (m.group(2)) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
        return Duration.ofNanos((long) nanos);
    }

    /** "1GiB", "512MiB", "64MB", "4096" (bytes); binary and decimal units as written. */
    public static long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 1GiB, 512MiB, 64MB, 4096)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        double factor = switch (unit) {
            case "b" -> 1;
            case "kb" -> 1e3;
            case "kib" -> 1024;
            case "mb" -> 1e6;
            case "mib" -> 1024.0 * 1024;
            case "gb" -> 1e9;
            case "gib" -> 1024.0 * 1024 * 1024;
            case "tb" -> 1e12;
            default -> 1024.0 * 1024 * 1024 * 1024;
        };
        double v = n * factor;
        if (v > Long.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return (long) v;
    }

    /** "region=us-east1,zone=a" into tiers, outermost first. */
    public static List<LocalityTier> locality(String text) {
        List<LocalityTier> tiers = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return tiers;
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            if (!TIER.matcher(p).matches()) {
                throw new IllegalArgumentException("'" + p + "' is not a locality tier (expected key=value, e.g. region=us-east1)");
            }
            int eq = p.indexOf('=');
            String key = p.substring(0, eq);
            if (tiers.stream().anyMatch(t -> t.getKey().equals(key))) {
                throw new IllegalArgumentException("locality tier '" + key + "' given twice");
            }
            tiers.add(LocalityTier.newBuilder().setKey(key).setValue(p.substring(eq + 1)).build());
        }
        return tiers;
    }

    /** "host:port,host:port" into a list, each checked. */
    public static List<String> addresses(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String a = part.trim();
            if (!a.isEmpty()) {
                dev.meridian.cluster.node.NodeDirectory.parse(a);
                out.add(a);
            }
        }
        return out;
    }
}
