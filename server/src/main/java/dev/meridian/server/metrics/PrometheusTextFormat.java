package dev.meridian.server.metrics;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns OpenTelemetry {@link MetricData} into the Prometheus text exposition format 0.0.4.
 *
 * <p>Mapping (decided once here and relied on by dashboards):
 * <ul>
 *   <li>Names: every character outside {@code [a-zA-Z0-9_:]} becomes {@code _} (so dots become
 *       underscores); a leading digit gets a {@code _} prefix. The unit is appended the
 *       Prometheus way ({@code s} → {@code _seconds}, {@code By} → {@code _bytes}, see
 *       {@link #unitSuffix}); annotations such as {@code {batch}} and the unit {@code 1} add
 *       nothing. Monotonic sums then get {@code _total}.</li>
 *   <li>Types: monotonic sums are {@code counter}; up-down sums and gauges are {@code gauge};
 *       explicit-bucket histograms are {@code histogram} ({@code _bucket} cumulative with
 *       {@code le="+Inf"} last, {@code _sum}, {@code _count}); summaries are {@code summary}.
 *       Exponential histograms have no 0.0.4 form and are left out (the reader never asks for
 *       them; only a view could).</li>
 *   <li>Attributes become labels, names sanitized like metric names (a reserved {@code __}
 *       prefix gets {@code key} in front); two attributes that sanitize to one label name have
 *       their values joined with {@code ;} in attribute-key order.</li>
 *   <li>Order: families sorted by name, series within a family by their rendered labels, so
 *       that two scrapes of the same state are byte-for-byte equal. HELP and TYPE appear once per
 *       family; a family whose name another type already took is left out rather than emitted
 *       with a second TYPE line; a series seen twice (two scopes, same name and labels) keeps
 *       its first occurrence in scope-name order.</li>
 *   <li>No timestamps: the scrape time is the sample time. Not exported: resource attributes
 *       (no {@code target_info}), scope labels and exemplars. Array attribute values print as
 *       {@code [a, b]}.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class PrometheusTextFormat {

    /** The Content-Type of the format, as Prometheus asks for it. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusTextFormat() {
    }

    /** One Prometheus metric family: everything under one HELP/TYPE pair. */
    private record Family(String name, String type, String help, TreeMap<String, List<String>> seriesByLabels) {
    }

    /** Formats the metrics; an empty collection gives an empty string. */
    static String format(Collection<MetricData> metrics) {
        List<MetricData> ordered = new ArrayList<>(metrics);
        ordered.sort(Comparator.comparing(PrometheusTextFormat::familyName)
                .thenComparing(m -> m.getInstrumentationScopeInfo().getName())
                .thenComparing(m -> String.valueOf(m.getInstrumentationScopeInfo().getVersion())));
        TreeMap<String, Family> families = new TreeMap<>();
        for (MetricData metric : ordered) {
            String type = prometheusType(metric);
            if (type == null) {
                continue;
            }
            String name = familyName(metric);
            Family family = families.computeIfAbsent(name,
                    n -> new Family(n, type, helpText(metric), new TreeMap<>()));
            if (family.type().equals(type)) {
                addSeries(family, metric);
            }
        }
        StringBuilder out = new StringBuilder();
        for (Family family : families.values()) {
            out.append("# HELP ").append(family.name()).append(' ').append(escapeHelp(family.help())).append('\n');
            out.append("# TYPE ").append(family.name()).append(' ').append(family.type()).append('\n');
            family.seriesByLabels().values().forEach(lines -> lines.forEach(line -> out.append(line).append('\n')));
        }
        return out.toString();
    }

    private static String prometheusType(MetricData metric) {
        return switch (metric.getType()) {
            case LONG_SUM -> metric.getLongSumData().isMonotonic() ? "counter" : "gauge";
            case DOUBLE_SUM -> metric.getDoubleSumData().isMonotonic() ? "counter" : "gauge";
            case LONG_GAUGE, DOUBLE_GAUGE -> "gauge";
            case HISTOGRAM -> "histogram";
            case SUMMARY -> "summary";
            case EXPONENTIAL_HISTOGRAM -> null;
        };
    }

    private static String helpText(MetricData metric) {
        String description = metric.getDescription();
        return description == null || description.isBlank() ? metric.getName() : description;
    }

    /** The family name: sanitized name, unit suffix, and {@code _total} for counters. */
    static String familyName(MetricData metric) {
        String name = sanitizeMetricName(metric.getName());
        String unit = unitSuffix(metric.getUnit());
        if (!unit.isEmpty() && !name.endsWith("_" + unit)) {
            name = name + "_" + unit;
        }
        if (isCounter(metric) && !name.endsWith("_total")) {
            name = name + "_total";
        }
        return name;
    }

    private static boolean isCounter(MetricData metric) {
        return switch (metric.getType()) {
            case LONG_SUM -> metric.getLongSumData().isMonotonic();
            case DOUBLE_SUM -> metric.getDoubleSumData().isMonotonic();
            default -> false;
        };
    }

    private static void addSeries(Family family, MetricData metric) {
        String name = family.name();
        switch (metric.getType()) {
            case LONG_SUM, DOUBLE_SUM, LONG_GAUGE, DOUBLE_GAUGE -> {
                for (PointData point : metric.getData().getPoints()) {
                    String labels = labels(point.getAttributes(), null, null);
                    family.seriesByLabels().putIfAbsent(labels, List.of(name + labels + ' ' + numberValue(point)));
                }
            }
            case HISTOGRAM -> {
                for (HistogramPointData point : metric.getHistogramData().getPoints()) {
                    family.seriesByLabels().putIfAbsent(labels(point.getAttributes(), null, null),
                            histogramLines(name, point));
                }
            }
            case SUMMARY -> {
                for (SummaryPointData point : metric.getSummaryData().getPoints()) {
                    family.seriesByLabels().putIfAbsent(labels(point.getAttributes(), null, null),
                            summaryLines(name, point));
                }
            }
            case EXPONENTIAL_HISTOGRAM -> throw new IllegalStateException("filtered out by prometheusType");
        }
    }

    private static String numberValue(PointData point) {
        return switch (point) {
            case LongPointData l -> Long.toString(l.getValue());
            case DoublePointData d -> formatDouble(d.getValue());
            default -> throw new IllegalArgumentException("not a number point: " + point.getClass().getName());
        };
    }

    private static List<String> histogramLines(String name, HistogramPointData point) {
        List<String> lines = new ArrayList<>();
        List<Double> bounds = point.getBoundaries();
        List<Long> counts = point.getCounts();
        long cumulative = 0;
        for (int i = 0; i < bounds.size(); i++) {
            cumulative += counts.get(i);
            lines.add(name + "_bucket" + labels(point.getAttributes(), "le", formatDouble(bounds.get(i))) + ' ' + cumulative);
        }
        // The SDK's counts have one more entry than boundaries: the overflow bucket. Prometheus
        // requires +Inf to equal _count, so it is the count itself, not a re-summed total.
        lines.add(name + "_bucket" + labels(point.getAttributes(), "le", "+Inf") + ' ' + point.getCount());
        String labels = labels(point.getAttributes(), null, null);
        lines.add(name + "_sum" + labels + ' ' + formatDouble(point.getSum()));
        lines.add(name + "_count" + labels + ' ' + point.getCount());
        return lines;
    }

    private static List<String> summaryLines(String name, SummaryPointData point) {
        List<String> lines = new ArrayList<>();
        for (ValueAtQuantile q : point.getValues()) {
            lines.add(name + labels(point.getAttributes(), "quantile", formatDouble(q.getQuantile()))
                    + ' ' + formatDouble(q.getValue()));
        }
        String labels = labels(point.getAttributes(), null, null);
        lines.add(name + "_sum" + labels + ' ' + formatDouble(point.getSum()));
        lines.add(name + "_count" + labels + ' ' + point.getCount());
        return lines;
    }

    /**
     * Renders attributes (plus one extra label such as {@code le}, placed last) as
     * {@code {a="x",b="y"}}, or the empty string when there are none.
     */
    static String labels(Attributes attributes, String extraName, String extraValue) {
        Map<String, String> byName = new TreeMap<>();
        // Attributes iterate in key order, so joined values of colliding keys are deterministic.
        attributes.forEach((key, value) -> byName.merge(sanitizeLabelName(key.getKey()), String.valueOf(value),
                (a, b) -> a + ";" + b));
        if (extraName != null) {
            // An attribute named like the reserved label would make the line invalid; it loses.
            byName.remove(extraName);
        }
        if (byName.isEmpty() && extraName == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder("{");
        byName.forEach((name, value) -> appendLabel(sb, name, value));
        if (extraName != null) {
            appendLabel(sb, extraName, extraValue);
        }
        sb.setLength(sb.length() - 1);
        return sb.append('}').toString();
    }

    private static void appendLabel(StringBuilder sb, String name, String value) {
        sb.append(name).append("=\"").append(escapeLabelValue(value)).append("\",");
    }

    /** Label values escape backslash, double quote and newline, as the format requires. */
    static String escapeLabelValue(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** HELP text escapes only backslash and newline. */
    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** {@code [a-zA-Z_:][a-zA-Z0-9_:]*}: invalid characters become {@code _}. */
    static String sanitizeMetricName(String name) {
        return sanitize(name, true);
    }

    /** {@code [a-zA-Z_][a-zA-Z0-9_]*}, and never the reserved {@code __} prefix. */
    static String sanitizeLabelName(String name) {
        String sanitized = sanitize(name, false);
        return sanitized.startsWith("__") ? "key" + sanitized : sanitized;
    }

    private static String sanitize(String name, boolean allowColon) {
        if (name.isEmpty()) {
            return "_";
        }
        String chars = replaceInvalid(name, allowColon);
        return chars.charAt(0) >= '0' && chars.charAt(0) <= '9' ? "_" + chars : chars;
    }

    private static String replaceInvalid(String name, boolean allowColon) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || (allowColon && c == ':');
            sb.append(valid ? c : '_');
        }
        return sb.toString();
    }

    /**
     * The Prometheus suffix for a UCUM unit: well-known units spelled out, {@code a/b} as
     * {@code a_per_b} ({@code 1/s} as {@code per_seconds}), annotations in braces and the
     * dimensionless {@code 1} as nothing, other
     * units sanitized as they are.
     */
    static String unitSuffix(String unit) {
        if (unit == null) {
            return "";
        }
        String bare = unit.replaceAll("\\{[^}]*}", "").trim();
        if (bare.isEmpty() || bare.equals("1")) {
            return "";
        }
        int slash = bare.indexOf('/');
        if (slash >= 0) {
            String per = unitWord(bare.substring(slash + 1));
            String numerator = bare.substring(0, slash);
            String of = numerator.equals("1") ? "" : unitWord(numerator);
            return of.isEmpty() ? "per_" + per : of + "_per_" + per;
        }
        return unitWord(bare);
    }

    private static String unitWord(String unit) {
        return switch (unit) {
            case "" -> "";
            case "d" -> "days";
            case "h" -> "hours";
            case "min" -> "minutes";
            case "s" -> "seconds";
            case "ms" -> "milliseconds";
            case "us" -> "microseconds";
            case "ns" -> "nanoseconds";
            case "By" -> "bytes";
            case "KiBy" -> "kibibytes";
            case "MiBy" -> "mebibytes";
            case "GiBy" -> "gibibytes";
            case "KBy" -> "kilobytes";
            case "MBy" -> "megabytes";
            case "GBy" -> "gigabytes";
            case "%" -> "percent";
            // A suffix follows the name, so a leading digit needs no prefix here.
            default -> replaceInvalid(unit, false);
        };
    }

    /**
     * Integral values print without a fraction (as Prometheus clients do, so {@code le="1"}),
     * others as plain decimals of Java's shortest round-trip form (scientific notation only for
     * very small or large magnitudes); infinities and NaN in Prometheus spelling.
     */
    static String formatDouble(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        double magnitude = Math.abs(value);
        if (value == Math.rint(value) && magnitude < 1e15) {
            return Long.toString((long) value);
        }
        if (magnitude >= 1e-6 && magnitude < 1e15) {
            // Plain decimals for the usual range (le="0.0005", not "5.0E-4"); still exact.
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
        return Double.toString(value);
    }
}
