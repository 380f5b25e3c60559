/**
 * Running Raft groups for real: the MultiRaft driver (the only code that persists, sends and
 * applies for the pure {@code dev.meridian.raft} state machines), Raft log storage on the
 * engine, and the transport between nodes.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A group's hard state and entries are durable (fsynced) before any message of the same
 *       {@code Ready} is sent: a vote or an acknowledgement never outruns the disk.</li>
 *   <li>The transport may drop, but never corrupt or reorder within a node pair, a batch.</li>
 * </ul>
 */
package dev.meridian.cluster.raft;
