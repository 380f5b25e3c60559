package dev.meridian.storage;

import java.nio.file.Path;

/** A store directory could not be opened; nothing on disk was changed. */
public final class StoreOpenException extends StorageException {

    /** Why the store was refused. */
    public enum Reason {
        /** The directory holds files but is not a Meridian store. */
        NOT_A_STORE,
        /** A Meridian store written by a format version this build cannot read. */
        INCOMPATIBLE_VERSION,
        /** The store's own metadata is damaged. */
        CORRUPT,
        /** The directory cannot be read or written. */
        IO
    }

    private final Reason reason;
    private final Path path;

    public StoreOpenException(Reason reason, Path path, String message, Throwable cause) {
        super("cannot open store " + path + ": " + message, cause);
        this.reason = reason;
        this.path = path;
    }

    public Reason reason() {
        return reason;
    }

    public Path path() {
        return path;
    }
}
