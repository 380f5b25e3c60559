package dev.meridian.raft;

/**
 * The settings of one node of one group.
 *
 * @param id               this node's id, non-zero (0 means "none" in votes and leaders)
 * @param electionTicks    a follower that hears no leader for a randomized
 *                         [electionTicks, 2*electionTicks) ticks campaigns; must exceed heartbeatTicks
 * @param heartbeatTicks   the leader sends heartbeats every this many ticks
 * @param maxSizePerMsg    the byte budget of entries in one append (at least one entry is sent)
 * @param maxInflightMsgs  appends pipelined to one follower before waiting for acknowledgements
 * @param maxInflightBytes payload bytes in flight to one follower (0: no byte bound)
 * @param checkQuorum      the leader steps down when it has not heard from a quorum within an
 *                         election timeout, and followers that heard from a leader recently
 *                         ignore vote requests (leader lease)
 * @param preVote          a candidate first asks whether it could win before raising its term,
 *                         so a node rejoining after a partition does not depose a stable leader
 * @param applied          the last index the application has applied (on restart); committed
 *                         entries up to it are not handed out again
 * @param knobs            deliberate bugs for the simulator; {@link TestingKnobs#NONE} otherwise
 */
public record Config(long id, int electionTicks, int heartbeatTicks, long maxSizePerMsg, int maxInflightMsgs,
                     long maxInflightBytes, boolean checkQuorum, boolean preVote, long applied, TestingKnobs knobs) {

    public Config {
        if (id == 0) {
            throw new IllegalArgumentException("node id 0 is reserved for 'none'");
        }
        if (heartbeatTicks <= 0) {
            throw new IllegalArgumentException("heartbeatTicks must be positive: " + heartbeatTicks);
        }
        if (electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("electionTicks " + electionTicks + " must exceed heartbeatTicks " + heartbeatTicks);
        }
        if (maxInflightMsgs <= 0) {
            throw new IllegalArgumentException("maxInflightMsgs must be positive: " + maxInflightMsgs);
        }
        if (maxSizePerMsg <= 0 || maxInflightBytes < 0 || applied < 0) {
            throw new IllegalArgumentException("sizes and applied must not be negative");
        }
        knobs = knobs == null ? TestingKnobs.NONE : knobs;
    }

    /** electionTicks=10, heartbeatTicks=1, 1 MiB per message, 256 in flight, no byte bound, pre-vote and check-quorum on. */
    public static Config defaults(long id) {
        return new Config(id, 10, 1, 1 << 20, 256, 0, true, true, 0, TestingKnobs.NONE);
    }

    public Config withElection(int electionTicks, int heartbeatTicks) {
        return new Config(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, maxInflightBytes, checkQuorum, preVote, applied, knobs);
    }

    public Config withFlowControl(long maxSizePerMsg, int maxInflightMsgs, long maxInflightBytes) {
        return new Config(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, maxInflightBytes, checkQuorum, preVote, applied, knobs);
    }

    public Config withCheckQuorum(boolean on) {
        return new Config(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, maxInflightBytes, on, preVote, applied, knobs);
    }

    public Config withPreVote(boolean on) {
        return new Config(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, maxInflightBytes, checkQuorum, on, applied, knobs);
    }

    public Config withApplied(long index) {
        return new Config(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, maxInflightBytes, checkQuorum, preVote, index, knobs);
    }

    public Config withKnobs(TestingKnobs k) {
        return new Config(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, maxInflightBytes, checkQuorum, preVote, applied, k);
    }
}
