package dev.meridian.storage;

/**
 * A consistent, read-only view of every key space of an engine as of the moment it was taken.
 * Later writes are invisible to it. It pins resources until closed.
 */
public interface EngineSnapshot extends EngineReader, AutoCloseable {
    @Override
    void close();
}
