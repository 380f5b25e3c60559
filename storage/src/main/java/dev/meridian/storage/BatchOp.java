package dev.meridian.storage;

/**
 * One operation of a write batch, as carried in the portable encoding.
 *
 * @param kind  what the operation does
 * @param space the key space it applies to
 * @param key   the key (for {@link Kind#DELETE_RANGE}, the inclusive start)
 * @param value the value for {@link Kind#PUT}, the exclusive end for {@link Kind#DELETE_RANGE},
 *              {@code null} for {@link Kind#DELETE}
 */
public record BatchOp(Kind kind, KeySpace space, byte[] key, byte[] value) {

    /** The operation kinds; the ordinal is part of the encoding and must not change. */
    public enum Kind { PUT, DELETE, DELETE_RANGE }

    /** Replays this operation onto {@code writer}. */
    public void applyTo(EngineWriter writer) {
        switch (kind) {
            case PUT -> writer.put(space, key, value);
            case DELETE -> writer.delete(space, key);
            case DELETE_RANGE -> writer.deleteRange(space, key, value);
        }
    }
}
