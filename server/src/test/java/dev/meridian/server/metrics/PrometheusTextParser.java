package dev.meridian.server.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A strict reader of Prometheus text 0.0.4 for tests, written from the format's specification
 * rather than from the formatter: every line must be a HELP, a TYPE or a well-formed
 * {@code name{labels} value} sample of an announced family, no series twice, and every
 * histogram's buckets cumulative, ascending in {@code le}, ending with {@code +Inf} equal to
 * {@code _count}. Any violation throws {@link AssertionError} naming the line.
 */
final class PrometheusTextParser {

    record Sample(String name, SortedMap<String, String> labels, double value) {
        /** The labels without {@code le}: the histogram series a bucket belongs to. */
        SortedMap<String, String> seriesLabels() {
            SortedMap<String, String> copy = new TreeMap<>(labels);
            copy.remove("le");
            return copy;
        }
    }

    record Family(String name, String type, String help, List<Sample> samples) {
    }

    private PrometheusTextParser() {
    }

    /** Parses and checks the text; families in the order they appear. */
    static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("text must end with a newline");
        }
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, Boolean> seen = new TreeMap<>();
        Family current = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                requireName(parts[0], line);
                if (helps.put(parts[0], parts.length > 1 ? parts[1] : "") != null) {
                    throw new AssertionError("second HELP for " + parts[0]);
                }
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                if (parts.length != 2 || !List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[1])) {
                    throw new AssertionError("bad TYPE line: " + line);
                }
                requireName(parts[0], line);
                if (families.containsKey(parts[0])) {
                    throw new AssertionError("second TYPE for " + parts[0]);
                }
                current = new Family(parts[0], parts[1], helps.get(parts[0]), new ArrayList<>());
                families.put(parts[0], current);
            } else if (line.startsWith("#")) {
                throw new AssertionError("unexpected comment: " + line);
            } else {
                Sample sample = parseSample(line);
                if (current == null || !belongsTo(sample.name(), current)) {
                    throw new AssertionError("sample outside its family: " + line);
                }
                if (seen.put(sample.name() + sample.labels(), true) != null) {
                    throw new AssertionError("series twice: " + line);
                }
                current.samples().add(sample);
            }
        }
        families.values().stream().filter(f -> f.type().equals("histogram")).forEach(PrometheusTextParser::checkHistogram);
        return families;
    }

    private static boolean belongsTo(String sampleName, Family family) {
        return switch (family.type()) {
            case "histogram" -> sampleName.equals(family.name() + "_bucket") || sampleName.equals(family.name() + "_sum")
                    || sampleName.equals(family.name() + "_count");
            case "summary" -> sampleName.equals(family.name()) || sampleName.equals(family.name() + "_sum")
                    || sampleName.equals(family.name() + "_count");
            default -> sampleName.equals(family.name());
        };
    }

    private static void checkHistogram(Family family) {
        Map<SortedMap<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<SortedMap<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : family.samples()) {
            if (s.name().endsWith("_bucket")) {
                if (!s.labels().containsKey("le")) {
                    throw new AssertionError("bucket without le: " + s);
                }
                buckets.computeIfAbsent(s.seriesLabels(), k -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(s.labels(), s.value());
            }
        }
        if (!buckets.keySet().equals(counts.keySet())) {
            throw new AssertionError(family.name() + ": series with buckets " + buckets.keySet() + " but counts " + counts.keySet());
        }
        buckets.forEach((series, list) -> {
            double previousLe = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            for (Sample b : list) {
                double le = parseValue(b.labels().get("le"));
                if (!(le > previousLe) || b.value() < previousCount) {
                    throw new AssertionError(family.name() + series + ": buckets not ascending and cumulative at le=" + b.labels().get("le"));
                }
                previousLe = le;
                previousCount = b.value();
            }
            Sample last = list.getLast();
            if (!last.labels().get("le").equals("+Inf") || last.value() != counts.get(series)) {
                throw new AssertionError(family.name() + series + ": last bucket must be +Inf and equal _count");
            }
        });
    }

    private static void requireName(String name, String line) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new AssertionError("bad metric name in: " + line);
        }
    }

    /** {@code name[{l="v",…}] value}, label values unescaped. */
    static Sample parseSample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        requireName(name, line);
        SortedMap<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    throw new AssertionError("bad label in: " + line);
                }
                String label = line.substring(i, eq);
                if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*") || label.startsWith("__")) {
                    throw new AssertionError("bad label name '" + label + "' in: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = j + 1 < line.length() ? line.charAt(++j) : '?';
                        switch (next) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new AssertionError("bad escape in: " + line);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (j >= line.length()) {
                    throw new AssertionError("unterminated label value in: " + line);
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new AssertionError("label twice in: " + line);
                }
                i = j + 1;
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i < line.length() && line.charAt(i) == '}') {
                    i++;
                    break;
                } else {
                    throw new AssertionError("bad label separator in: " + line);
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new AssertionError("no value in: " + line);
        }
        String rest = line.substring(i + 1);
        if (rest.contains(" ")) {
            throw new AssertionError("timestamps or extra fields not expected: " + line);
        }
        return new Sample(name, labels, parseValue(rest));
    }

    static double parseValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!text.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
                    throw new AssertionError("bad value: " + text);
                }
                yield Double.parseDouble(text);
            }
        };
    }
}
