package dev.meridian.storage;

/** A failure of the storage layer: I/O, a closed engine, or a broken invariant of the store. */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
