package dev.meridian.server.http;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer (RFC 8259) into a string: compact output, strings escaped,
 * commas and colons placed by the writer. Misuse (a value where a name is due, closing the wrong
 * container, a second top-level value) throws {@link IllegalStateException}. Not thread-safe.
 */
final class JsonWriter {

    /** Where the writer is inside one open container. */
    private enum Scope { EMPTY_ARRAY, ARRAY, EMPTY_OBJECT, OBJECT, NAME_WRITTEN }

    private final StringBuilder out = new StringBuilder();
    private final Deque<Scope> scopes = new ArrayDeque<>();
    private boolean topLevelDone;

    JsonWriter beginObject() {
        return open(Scope.EMPTY_OBJECT, '{');
    }

    JsonWriter endObject() {
        return close(Scope.EMPTY_OBJECT, Scope.OBJECT, '}');
    }

    JsonWriter beginArray() {
        return open(Scope.EMPTY_ARRAY, '[');
    }

    JsonWriter endArray() {
        return close(Scope.EMPTY_ARRAY, Scope.ARRAY, ']');
    }

    private JsonWriter open(Scope empty, char bracket) {
        beforeValue();
        scopes.push(empty);
        out.append(bracket);
        return this;
    }

    private JsonWriter close(Scope empty, Scope nonEmpty, char bracket) {
        Scope top = scopes.peek();
        if (top != empty && top != nonEmpty) {
            throw new IllegalStateException("cannot close with '" + bracket + "' here (" + top + ")");
        }
        scopes.pop();
        out.append(bracket);
        return this;
    }

    JsonWriter name(String name) {
        Scope top = scopes.peek();
        if (top != Scope.EMPTY_OBJECT && top != Scope.OBJECT) {
            throw new IllegalStateException("a name belongs in an object (" + top + ")");
        }
        if (top == Scope.OBJECT) {
            out.append(',');
        }
        scopes.pop();
        scopes.push(Scope.NAME_WRITTEN);
        appendString(name);
        out.append(':');
        return this;
    }

    /** A string value; {@code null} writes JSON null. */
    JsonWriter value(String value) {
        beforeValue();
        if (value == null) {
            out.append("null");
        } else {
            appendString(value);
        }
        return this;
    }

    JsonWriter value(long value) {
        beforeValue();
        out.append(value);
        return this;
    }

    JsonWriter value(boolean value) {
        beforeValue();
        out.append(value);
        return this;
    }

    JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    /** The document; every container must be closed. */
    String toJson() {
        if (!scopes.isEmpty() || !topLevelDone) {
            throw new IllegalStateException("incomplete document: " + scopes);
        }
        return out.toString();
    }

    private void beforeValue() {
        Scope top = scopes.peek();
        if (top == null) {
            if (topLevelDone) {
                throw new IllegalStateException("a JSON document has one top-level value");
            }
            topLevelDone = true;
            return;
        }
        switch (top) {
            case EMPTY_ARRAY -> replaceTop(Scope.ARRAY);
            case ARRAY -> out.append(',');
            case NAME_WRITTEN -> replaceTop(Scope.OBJECT);
            case EMPTY_OBJECT, OBJECT -> throw new IllegalStateException("a value in an object needs a name first");
        }
    }

    private void replaceTop(Scope scope) {
        scopes.pop();
        scopes.push(scope);
    }

    private void appendString(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || isLoneSurrogate(s, i)) {
                        // A lone surrogate cannot be encoded as UTF-8; escaped it survives as is.
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}
