package dev.meridian.storage.encoding;

import java.util.Objects;

/**
 * The type and direction of one column of an encoded key tuple.
 *
 * @param type      the column's type; never {@link KeyType#NULL}, which is a value, not a type
 * @param direction the column's sort direction
 */
public record KeyColumn(KeyType type, Direction direction) {

    public KeyColumn {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(direction, "direction");
        if (type == KeyType.NULL) {
            throw new IllegalArgumentException("NULL is a value, not a column type");
        }
    }

    public static KeyColumn asc(KeyType type) {
        return new KeyColumn(type, Direction.ASC);
    }

    public static KeyColumn desc(KeyType type) {
        return new KeyColumn(type, Direction.DESC);
    }
}
