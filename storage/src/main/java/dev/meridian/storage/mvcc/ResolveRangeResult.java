package dev.meridian.storage.mvcc;

/**
 * The outcome of resolving a transaction's intents over a span.
 *
 * @param resolved   how many of its intents changed (committed, removed or updated)
 * @param resumeSpan the part of the span not yet looked at when the limit was reached, or {@code null}
 */
public record ResolveRangeResult(int resolved, Span resumeSpan) {
}
