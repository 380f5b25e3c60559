package dev.meridian.raft.quorum;

/**
 * Tells the quorum arithmetic how far each voter has acknowledged something: a log index, or a
 * tick of last contact. A voter that has acknowledged nothing yields 0.
 */
@FunctionalInterface
public interface AckedIndexer {
    long ackedIndex(long voterId);
}
