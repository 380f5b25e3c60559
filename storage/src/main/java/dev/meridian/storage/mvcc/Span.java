package dev.meridian.storage.mvcc;

/**
 * A span of user keys {@code [start, end)}; {@code end == null} means unbounded.
 *
 * @param start inclusive start
 * @param end   exclusive end, or {@code null}
 */
public record Span(byte[] start, byte[] end) {
}
