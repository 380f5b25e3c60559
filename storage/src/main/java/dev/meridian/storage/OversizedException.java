package dev.meridian.storage;

/** A key or value larger than the engine accepts; nothing was written. */
public final class OversizedException extends StorageException {
    private final String what;
    private final long size;
    private final long limit;

    public OversizedException(String what, long size, long limit) {
        super(what + " of " + size + " bytes exceeds the maximum of " + limit + " bytes");
        this.what = what;
        this.size = size;
        this.limit = limit;
    }

    /** "key" or "value". */
    public String what() {
        return what;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
