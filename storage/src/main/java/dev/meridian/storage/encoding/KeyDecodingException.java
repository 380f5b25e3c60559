package dev.meridian.storage.encoding;

/**
 * The bytes handed to a {@link KeyReader} are not a valid encoding of what was asked for:
 * truncated, an unexpected marker, a bad escape, or a non-canonical form. Always a bug or
 * corruption, never an expected outcome.
 */
public final class KeyDecodingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int position;

    public KeyDecodingException(String message, int position) {
        super(message + " (at byte " + position + ")");
        this.position = position;
    }

    /** The offset in the key array where decoding failed. */
    public int position() {
        return position;
    }
}
