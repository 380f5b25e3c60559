package dev.meridian.storage;

/**
 * A write batch that can be read through: reads see the batch's own writes laid over the engine's
 * current state. MVCC evaluation uses it so that a command with several writes to one key sees
 * its earlier writes (an intent written, then rewritten by the same transaction).
 *
 * <p>HAZARD: the engine state underneath is the live engine, not a snapshot. Callers that need a
 * stable base (a leaseholder evaluating under latches) rely on latches to keep conflicting
 * writers out of the span while the batch is built.
 */
public interface ReadWriteBatch extends WriteBatch, EngineReader {
}
