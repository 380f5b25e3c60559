/**
 * Time for a node: the {@link dev.meridian.cluster.time.PhysicalClock} (the only reader of the
 * system clock, replaceable by a {@link dev.meridian.cluster.time.ManualClock}) and the node's
 * {@link dev.meridian.cluster.time.HybridClock}.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>HLC readings on one node strictly increase, whatever the physical clock does.</li>
 *   <li>A merged remote reading is below every later local reading (causality).</li>
 *   <li>The HLC never runs more than max-offset ahead of the local physical clock because of a
 *       remote reading: such readings are refused. Read uncertainty intervals (T, T +
 *       max-offset] and commit-wait rely on this bound.</li>
 * </ul>
 */
package dev.meridian.cluster.time;
