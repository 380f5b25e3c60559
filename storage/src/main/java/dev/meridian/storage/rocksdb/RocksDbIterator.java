package dev.meridian.storage.rocksdb;

import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.StorageException;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An {@link EngineIterator} over a RocksDB iterator (plain, or a write batch merged over one).
 *
 * <p>Bounds are enforced here as well as natively: the native bounds only restrict the engine
 * iterator, not the batch side of a merged iterator, and RocksDB leaves seeks outside the bounds
 * loosely specified. The current key is cached so that {@link #key()} never reaches a native
 * iterator that is not valid (which would crash).
 */
final class RocksDbIterator implements EngineIterator, EngineGuard.Child {
    private final EngineGuard guard;
    private final RocksIterator it;
    private final List<? extends AutoCloseable> owned;
    private final byte[] lower;
    private final byte[] upper;
    private final Predicate<byte[]> hidden;
    private final Runnable onRelease;
    private final Consumer<RocksIterator> dispose;
    private byte[] currentKey;
    private boolean released;

    /**
     * @param owned     native objects the iterator must outlive (read options, bound slices);
     *                  closed after the iterator
     * @param hidden    keys to step over (range deletions of a read-through batch), or null
     * @param onRelease run once after the native objects are freed
     */
    RocksDbIterator(EngineGuard guard, RocksIterator it, List<? extends AutoCloseable> owned,
                    byte[] lower, byte[] upper, Predicate<byte[]> hidden, Runnable onRelease) {
        this(guard, it, owned, lower, upper, hidden, onRelease, RocksIterator::close);
    }

    /** As above, with {@code dispose} deciding the native iterator's fate (closed, or pooled). */
    RocksDbIterator(EngineGuard guard, RocksIterator it, List<? extends AutoCloseable> owned,
                    byte[] lower, byte[] upper, Predicate<byte[]> hidden, Runnable onRelease,
                    Consumer<RocksIterator> dispose) {
        this.dispose = dispose;
        this.guard = guard;
        this.it = it;
        this.owned = owned;
        this.lower = lower == null ? null : lower.clone();
        this.upper = upper == null ? null : upper.clone();
        this.hidden = hidden;
        this.onRelease = onRelease;
        guard.register(this);
    }

    @Override
    public void seek(byte[] key) {
        enter();
        try {
            it.seek(lower != null && Arrays.compareUnsigned(key, lower) < 0 ? lower : key);
            settle(true);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void seekForPrev(byte[] key) {
        enter();
        try {
            if (upper != null && Arrays.compareUnsigned(key, upper) >= 0) {
                lastBelowUpper();
            } else {
                it.seekForPrev(key);
            }
            settle(false);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void seekToFirst() {
        enter();
        try {
            if (lower == null) {
                it.seekToFirst();
            } else {
                it.seek(lower);
            }
            settle(true);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void seekToLast() {
        enter();
        try {
            if (upper == null) {
                it.seekToLast();
            } else {
                lastBelowUpper();
            }
            settle(false);
        } finally {
            guard.exit();
        }
    }

    private void lastBelowUpper() {
        it.seekForPrev(upper);
        if (it.isValid() && Arrays.equals(it.key(), upper)) {
            it.prev();
        }
    }

    @Override
    public boolean valid() {
        enter();
        try {
            return currentKey != null;
        } finally {
            guard.exit();
        }
    }

    @Override
    public void next() {
        enterValid();
        try {
            it.next();
            settle(true);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void prev() {
        enterValid();
        try {
            it.prev();
            settle(false);
        } finally {
            guard.exit();
        }
    }

    @Override
    public byte[] key() {
        // Read under the guard: the engine's close releases this iterator (nulling the key)
        // only while no call holds the guard.
        enterValid();
        try {
            return currentKey.clone();
        } finally {
            guard.exit();
        }
    }

    @Override
    public byte[] value() {
        enterValid();
        try {
            return it.value();
        } finally {
            guard.exit();
        }
    }

    /**
     * Reads the native position after a move in direction {@code forward}, stepping on over
     * hidden keys; a key outside the bounds ends the iteration.
     */
    private void settle(boolean forward) {
        while (true) {
            if (!it.isValid()) {
                currentKey = null;
                try {
                    it.status();
                } catch (RocksDBException e) {
                    throw RocksDbEngine.storageError("iterator", e);
                }
                return;
            }
            byte[] k = it.key();
            boolean inside = (lower == null || Arrays.compareUnsigned(k, lower) >= 0)
                    && (upper == null || Arrays.compareUnsigned(k, upper) < 0);
            if (!inside || hidden == null || !hidden.test(k)) {
                currentKey = inside ? k : null;
                return;
            }
            if (forward) {
                it.next();
            } else {
                it.prev();
            }
        }
    }

    private void enter() {
        guard.enter();
        if (released) {
            guard.exit();
            throw new StorageException("iterator is closed");
        }
    }

    private void enterValid() {
        enter();
        if (currentKey == null) {
            guard.exit();
            throw new StorageException("iterator is not positioned on a key");
        }
    }

    @Override
    public void close() {
        guard.closeChild(this);
    }

    @Override
    public boolean isReleased() {
        return released;
    }

    @Override
    public void releaseNative() {
        if (released) {
            return;
        }
        released = true;
        currentKey = null;
        dispose.accept(it);
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                throw new StorageException("cannot release iterator resources", e);
            }
        }
        onRelease.run();
    }
}
