package dev.meridian.raft.sim;

/**
 * What one or more seeds covered.
 *
 * @param simulatedMillis   simulated time, summed over seeds
 * @param events            events processed (both phases)
 * @param elections         distinct (term, leader) pairs seen
 * @param commits           distinct log indexes applied by some node
 * @param crashes           node crashes
 * @param snapshots         log compactions plus snapshots installed from a leader
 * @param membershipChanges membership changes applied (counted once per index)
 * @param digest            a hash of the event sequence: equal runs have equal digests
 */
public record SimTotals(long simulatedMillis, long events, long elections, long commits, long crashes, long snapshots,
                        long membershipChanges, long digest) {

    public static final SimTotals ZERO = new SimTotals(0, 0, 0, 0, 0, 0, 0, 0);

    public SimTotals plus(SimTotals o) {
        return new SimTotals(simulatedMillis + o.simulatedMillis, events + o.events, elections + o.elections,
                commits + o.commits, crashes + o.crashes, snapshots + o.snapshots,
                membershipChanges + o.membershipChanges, digest * 31 + o.digest);
    }

    @Override
    public String toString() {
        return "simulated-time=" + simulatedMillis + "ms events=" + events + " elections=" + elections + " commits=" + commits
                + " crashes=" + crashes + " snapshots=" + snapshots + " membership-changes=" + membershipChanges;
    }
}
