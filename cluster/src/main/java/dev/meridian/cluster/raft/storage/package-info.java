/**
 * Raft logs of many groups on one {@link dev.meridian.storage.Engine}, in its
 * {@link dev.meridian.storage.KeySpace#RAFT_LOG} key space.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Key layout ({@code RaftLogKeys}): group id, record kind, entry index, all big-endian, so
 *       one group's records are one contiguous span and its entries sort by index. Truncating a
 *       conflicting suffix, compacting a prefix and installing a snapshot are each one range
 *       deletion plus puts, in the same batch as the records that replace them.</li>
 *   <li>Every group has a snapshot record (index 0 with the initial membership for a new group)
 *       and a truncated state (index and term of the last entry no longer held); entries follow
 *       the truncated index contiguously. {@code exists} is "has a snapshot record".</li>
 *   <li>Mutations are staged into a caller's batch and the in-memory positions move at once;
 *       the MultiRaft driver writes the batch before it advances the node, which is what makes
 *       reading positions before the write safe (see {@code EngineRaftLogStorage}).</li>
 * </ul>
 *
 * <h2>HAZARD notes</h2>
 * <ul>
 *   <li>A failed engine write leaves the cached positions ahead of the disk; the storage object
 *       must be discarded (reopen it from the engine).</li>
 *   <li>Snapshot data is stored whole in one value and held in memory; fine for the test state
 *       machines, not for range-sized snapshots, which must stream from the MVCC key space.</li>
 *   <li>The membership is persisted only with snapshots: a group that applied a membership
 *       change and restarts before its next snapshot restarts with the old membership and
 *       re-applies the change from the log (the driver replays every committed membership
 *       change after the log's snapshot into Raft on load, whatever the state machine's applied
 *       index). A new group's log may start at a snapshot with a non-zero index ({@code create}
 *       with a {@code Snapshot}): its hard state then starts at that snapshot's term.</li>
 * </ul>
 */
package dev.meridian.cluster.raft.storage;
