package dev.meridian.raft;

/**
 * Volatile state worth telling the application about but never persisted.
 *
 * @param lead the current leader as known to this node, 0 for none
 */
public record SoftState(long lead, Role role) {
}
