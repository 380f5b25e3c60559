package dev.meridian.server.workload;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders a tree of maps (objects, in their iteration order), lists, strings, numbers, booleans
 * and nulls as indented JSON (RFC 8259). A non-finite double, which JSON cannot express, becomes
 * null. Stateless.
 */
final class JsonText {

    private JsonText() {
    }

    /** The JSON text of {@code value}, ending in a newline. */
    static String render(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object value, int depth) {
        switch (value) {
            case null -> sb.append("null");
            case Map<?, ?> map -> container(sb, '{', '}', map.entrySet().iterator(), depth, (entry, d) -> {
                quote(sb, String.valueOf(entry.getKey()));
                sb.append(": ");
                write(sb, entry.getValue(), d);
            });
            case List<?> list -> container(sb, '[', ']', list.iterator(), depth, (item, d) -> write(sb, item, d));
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(Double.isFinite(d) ? d.toString() : "null");
            case Float f -> sb.append(Float.isFinite(f) ? f.toString() : "null");
            case Integer i -> sb.append(i);
            case Long l -> sb.append(l);
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    @FunctionalInterface
    private interface ElementWriter<T> {
        void write(T element, int depth);
    }

    private static <T> void container(StringBuilder sb, char open, char close, Iterator<T> items, int depth,
                                      ElementWriter<T> element) {
        sb.append(open);
        if (!items.hasNext()) {
            sb.append(close);
            return;
        }
        while (items.hasNext()) {
            sb.append('\n').append("  ".repeat(depth + 1));
            element.write(items.next(), depth + 1);
            if (items.hasNext()) {
                sb.append(',');
            }
        }
        sb.append('\n').append("  ".repeat(depth)).append(close);
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
