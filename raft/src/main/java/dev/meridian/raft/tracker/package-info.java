/**
 * The leader's bookkeeping per member: replication progress (match, next, PROBE / REPLICATE /
 * SNAPSHOT), a bounded window of in-flight appends, activity for check-quorum and lease
 * contact ticks, and the votes of the current election.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>{@code match < next} for every progress; {@code match} only rises on a positive
 *       acknowledgement from the follower, so {@code match} entries really are on that follower
 *       (once it persisted them, per the Ready contract). The commit rule counts {@code match}.</li>
 *   <li>In-flight appends are added in increasing index order and freed by cumulative
 *       acknowledgement; the window bounds memory and network use per follower.</li>
 *   <li>The progress map holds exactly the members of the configuration and is iterated in id
 *       order, so that message order is deterministic (the simulator replays runs exactly).</li>
 * </ul>
 *
 * <p>HAZARD: {@code Progress} objects are shared between an old and a new configuration during a
 * config change; the core builds the new map and switches atomically.
 */
package dev.meridian.raft.tracker;
