/**
 * An in-process {@link dev.meridian.cluster.raft.RaftTransport}: several nodes of one JVM
 * connected through an {@link dev.meridian.cluster.raft.memory.InMemoryRaftNetwork}, for tests
 * and benchmarks, with partitions and per-pair delays.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Batches of one node pair are delivered in send order or not at all.</li>
 *   <li>{@code send} never blocks; receivers are called on the destination's delivery thread.</li>
 *   <li>A partition drops batches already queued too, as a cut cable would.</li>
 * </ul>
 * HAZARD: batches are passed by reference, not serialized; a sender must not mutate what it sent
 * (the raft records are immutable apart from byte arrays, which nobody writes after creation).
 */
package dev.meridian.cluster.raft.memory;
