package dev.meridian.storage.rocksdb;

import dev.meridian.storage.StorageException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps native calls and the engine's close apart, so that use after close throws instead of
 * touching freed native memory (which would crash the JVM).
 *
 * <p>Every call that touches a native object runs between {@link #enter()} and {@link #exit()}
 * (a shared hold); {@link #closeAll} takes the exclusive hold, marks the engine closed and
 * releases every registered child (iterators, snapshots, batches) before the database itself.
 */
final class EngineGuard {

    /** A native resource owned by the engine: released at the latest when the engine closes. */
    interface Child {
        /** Frees the native objects; called with the guard held, at most once. */
        void releaseNative();

        /** Whether {@link #releaseNative()} has run. */
        boolean isReleased();
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Set<Child> children = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Takes a shared hold; throws if the engine is closed. Pair with {@link #exit()}. */
    void enter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new StorageException("engine is closed");
        }
    }

    void exit() {
        lock.readLock().unlock();
    }

    /**
     * Takes a shared hold if the engine is still open; returns false (holding nothing) if it is
     * closed. For child close paths: a closed engine has already released the child.
     */
    boolean enterIfOpen() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            return false;
        }
        return true;
    }

    /**
     * The close path of a child: releases it unless that already happened, either by an earlier
     * close or by the engine's own close (after which there is nothing left to hold).
     */
    void closeChild(Child child) {
        if (!enterIfOpen()) {
            return;
        }
        try {
            if (!child.isReleased()) {
                unregister(child);
                child.releaseNative();
            }
        } finally {
            exit();
        }
    }

    void register(Child child) {
        children.add(child);
    }

    void unregister(Child child) {
        children.remove(child);
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Closes the engine once: waits for running calls, releases every child, then runs
     * {@code closeDatabase}. Returns false if it was already closed.
     */
    boolean closeAll(Runnable closeDatabase) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            List<Child> open = new ArrayList<>(children);
            children.clear();
            RuntimeException failure = null;
            for (Child c : open) {
                try {
                    c.releaseNative();
                } catch (RuntimeException e) {
                    // Keep releasing: one failure must not leak the rest or the database.
                    failure = failure == null ? e : failure;
                }
            }
            closeDatabase.run();
            if (failure != null) {
                throw failure;
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }
}
