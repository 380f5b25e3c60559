package dev.meridian.storage.encoding;

/**
 * The sort direction of one key column. A DESC column is its ASC encoding with every byte
 * inverted, marker included; see {@code package-info.java}.
 */
public enum Direction {
    ASC(0x00),
    DESC(0xFF);

    private final int mask;

    Direction(int mask) {
        this.mask = mask;
    }

    /** The value every encoded byte of this direction is XORed with. */
    int mask() {
        return mask;
    }
}
