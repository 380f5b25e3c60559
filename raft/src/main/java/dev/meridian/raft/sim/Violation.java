package dev.meridian.raft.sim;

/**
 * A broken safety or liveness property, as a checker reports it.
 *
 * @param check    which property
 * @param atMillis the simulated time it was detected (0 when checked outside a run)
 * @param detail   what was seen, with node ids, terms and indexes
 */
public record Violation(Check check, long atMillis, String detail) {

    /** The properties the simulator checks. */
    public enum Check {
        /** At most one leader per term, across all nodes and all time. */
        ELECTION_SAFETY("election-safety"),
        /** Two logs with an entry of equal index and term are identical up to it. */
        LOG_MATCHING("log-matching"),
        /** A new leader's log holds every entry committed before it. */
        LEADER_COMPLETENESS("leader-completeness"),
        /** Applied sequences are prefixes of one another; no two live state machines disagree. */
        STATE_MACHINE_SAFETY("state-machine-safety"),
        /** An entry once applied (committed) was replaced after crashes: it was lost. */
        COMMITTED_ENTRY_LOST("committed-entry-lost"),
        /** A healed majority did not commit a new proposal in bounded time. */
        LIVENESS("liveness"),
        /** The Raft implementation threw: it detected a broken invariant of its own. */
        RAFT_INVARIANT("raft-invariant");

        private final String display;

        Check(String display) {
            this.display = display;
        }

        public String display() {
            return display;
        }
    }

    public Violation at(long millis) {
        return new Violation(check, millis, detail);
    }

    @Override
    public String toString() {
        return check.display() + " at t=" + atMillis + "ms: " + detail;
    }
}
