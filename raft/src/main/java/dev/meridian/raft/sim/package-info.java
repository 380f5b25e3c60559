/**
 * A deterministic simulator of Raft groups: {@link dev.meridian.raft.RawNode}s of 3 to 7 nodes
 * on one thread under a simulated clock, network and disk, all driven by one seed, with
 * checkers that run on every event. Entry point: {@link dev.meridian.raft.sim.RaftSimulation}.
 *
 * <h2>Seed to options</h2>
 * A seed {@code S} seeds one {@link java.util.SplittableRandom}; its first split draws the
 * plan ({@code SeedPlan}) in a fixed order: group size (drawn even when {@code --nodes}
 * overrides it, so the override changes nothing else), the fault mix ({@code FaultMix}: drop,
 * duplicate, delay, partition, one-way cut, clog, crash, leader strikes, fsync latency,
 * proposal, membership change, transfer and compaction rates), then election and heartbeat
 * ticks, message size and in-flight limits, pre-vote and check-quorum. Further splits feed the
 * network and the nemesis, and each node's election jitter. Every option is printed with the
 * seed, and a failure prints {@code bin/meridian sim raft --seed S --nodes N --steps K
 * [--inject-bug X]}, which replays it exactly.
 *
 * <h2>How time advances</h2>
 * A discrete-event scheduler ({@code EventQueue}) pops events in (time, sequence) order and
 * jumps the clock to each: node ticks (each node's tick length drifts up to 10% from the
 * plan's), message deliveries, fsync completions, nemesis rounds, restarts. A step is one
 * event. The fault phase runs {@code --steps} events; then the liveness phase stops every
 * fault, heals the network, restarts crashed nodes and requires a probe proposal to commit
 * within 20 election timeouts plus one round trip per entry the furthest-behind member lacks
 * (followers left far behind catch up one entry per append in the worst drawn settings).
 *
 * <h2>What a crash loses</h2>
 * A node's driver follows the RawNode contract: a Ready's snapshot, hard state and entries are
 * written to the {@code SimDisk} at once (visible to the node, not durable) and an fsync
 * completion is scheduled 0..maxSync ms later. Only when it fires are the Ready's messages sent,
 * its committed entries applied and the node advanced. A crash discards the unsynced writes,
 * the in-memory RawNode and the state machine (the list of applied entries), and half of the
 * messages still in flight from it (the sender's buffers). A restart rebuilds the node from
 * the synced disk alone: the state machine from the snapshot on disk, {@code Config.applied}
 * = that snapshot's index, the rest replayed from the log. Compaction (snapshot, then
 * truncate) is durable at once and happens only while no write is unsynced.
 *
 * <h2>Which checks run when</h2>
 * <ul>
 *   <li>On every Ready that reports leadership: one leader per term over all time
 *       ({@code ElectionSafetyChecker}) and leader completeness: the new leader's log, or the
 *       snapshot of its state machine, holds every entry applied anywhere so far
 *       ({@code LeaderCompletenessChecker}).</li>
 *   <li>On every write: log matching, incrementally ({@code LogMatchingChecker}: each
 *       (index, term) must always come with the same entry and the same previous term); and
 *       pairwise over all synced logs every 100 events and at the end of each seed.</li>
 *   <li>On every apply and snapshot install: applied sequences are gap-free prefixes of one
 *       another, and no index is applied with two different entries; if the first one is
 *       gone from every live node it is reported as a lost commit
 *       ({@code AppliedHistoryChecker}).</li>
 *   <li>Any exception thrown by Raft is a violation too ({@code raft-invariant}).</li>
 * </ul>
 * Membership: a node that the newest applied configuration no longer contains, after having
 * been in one, is removed for good and stopped; its history stays checked, it is never
 * restarted and does not count for liveness. Joiners start from the group's bootstrap
 * membership (index 0 of every log) and learn the rest from the leader.
 *
 * <h2>HAZARD notes</h2>
 * <ul>
 *   <li>Determinism: no clock, thread, unseeded randomness or hash-ordered iteration here
 *       (ArchitectureTest enforces it). Every random draw comes from the seed's splits, in an
 *       order fixed by the event order; adding a draw anywhere changes every seed's run, so
 *       regression seeds must be re-checked after such a change.</li>
 *   <li>Messages of a Ready must never be sent before its fsync event, except a leader's
 *       appends, heartbeats and snapshots, which leave when the Ready is written, as the
 *       MultiRaft driver sends them (its leader writes its log in parallel with replicating it;
 *       Raft thesis 10.2.1). Sending anything else earlier would hide exactly the
 *       crash-between-write-and-sync bugs this simulator exists to find.</li>
 *   <li>The nemesis strikes leaders right after they are elected and after their first
 *       commit; without it Figure 8 situations, and so the {@code commit-old-term} bug, are
 *       nearly never reached.</li>
 *   <li>Clients stop proposing to a leader more than 32 entries ahead of its commit index; an
 *       unbounded backlog would make the bounded liveness phase fail for throughput, not for a
 *       bug.</li>
 * </ul>
 */
package dev.meridian.raft.sim;
