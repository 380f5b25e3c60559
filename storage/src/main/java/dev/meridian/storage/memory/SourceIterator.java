package dev.meridian.storage.memory;

import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.StorageException;

/** An {@link EngineIterator} over a {@link Source}, skipping tombstones and honouring bounds. */
final class SourceIterator implements EngineIterator {
    private final Source source;
    private final byte[] lower;
    private final byte[] upper;
    private final Runnable checkEngineOpen;
    private final Runnable onClose;
    private Source.Entry current;
    private boolean closed;

    /** {@code checkEngineOpen} throws once the engine is closed: the iterator dies with it. */
    SourceIterator(Source source, byte[] lower, byte[] upper, Runnable checkEngineOpen, Runnable onClose) {
        this.source = source;
        this.lower = lower == null ? null : lower.clone();
        this.upper = upper == null ? null : upper.clone();
        this.checkEngineOpen = checkEngineOpen;
        this.onClose = onClose;
    }

    @Override
    public void seek(byte[] key) {
        checkOpen();
        byte[] k = lower != null && Source.ORDER.compare(key, lower) < 0 ? lower : key;
        current = forwardFrom(source.ceiling(k));
    }

    @Override
    public void seekForPrev(byte[] key) {
        checkOpen();
        if (upper != null && Source.ORDER.compare(key, upper) >= 0) {
            current = backwardFrom(source.lower(upper));
        } else {
            current = backwardFrom(source.floor(key));
        }
    }

    @Override
    public void seekToFirst() {
        checkOpen();
        current = forwardFrom(lower == null ? source.first() : source.ceiling(lower));
    }

    @Override
    public void seekToLast() {
        checkOpen();
        current = backwardFrom(upper == null ? source.last() : source.lower(upper));
    }

    @Override
    public boolean valid() {
        checkOpen();
        return current != null;
    }

    @Override
    public void next() {
        checkValid();
        current = forwardFrom(source.higher(current.key()));
    }

    @Override
    public void prev() {
        checkValid();
        current = backwardFrom(source.lower(current.key()));
    }

    @Override
    public byte[] key() {
        checkValid();
        return current.key().clone();
    }

    @Override
    public byte[] value() {
        checkValid();
        return current.value().clone();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }

    private Source.Entry forwardFrom(Source.Entry e) {
        while (e != null && e.deleted()) {
            e = source.higher(e.key());
        }
        if (e == null || (upper != null && Source.ORDER.compare(e.key(), upper) >= 0)) {
            return null;
        }
        return e;
    }

    private Source.Entry backwardFrom(Source.Entry e) {
        while (e != null && e.deleted()) {
            e = source.lower(e.key());
        }
        if (e == null || (lower != null && Source.ORDER.compare(e.key(), lower) < 0)) {
            return null;
        }
        return e;
    }

    private void checkOpen() {
        checkEngineOpen.run();
        if (closed) {
            throw new StorageException("iterator is closed");
        }
    }

    private void checkValid() {
        checkOpen();
        if (current == null) {
            throw new StorageException("iterator is not positioned on a key");
        }
    }
}
