package dev.meridian.raft.sim;

import dev.meridian.raft.Message;

/**
 * What can happen at an instant of simulated time. Events aimed at a node carry the node's
 * incarnation when they were scheduled: a crash bumps it, so a tick or an fsync completion
 * scheduled before the crash finds a different incarnation and is ignored.
 */
sealed interface SimEvent {

    /** A short name for the event digest and trace. */
    int kind();

    /** The node's clock ticks. */
    record Tick(long node, int incarnation) implements SimEvent {
        public int kind() {
            return 1;
        }
    }

    /** A message arrives (or is found cut off by a partition and dropped). */
    record Deliver(Message message, int senderIncarnation, boolean reportsSnapshot) implements SimEvent {
        public int kind() {
            return 2;
        }
    }

    /** The fsync of the node's outstanding Ready completed: send, apply, advance. */
    record SyncDone(long node, int incarnation) implements SimEvent {
        public int kind() {
            return 3;
        }
    }

    /** A snapshot message was lost: the transport tells its sender. */
    record SnapshotLost(long sender, long target, int senderIncarnation) implements SimEvent {
        public int kind() {
            return 4;
        }
    }

    /** The nemesis draws faults and client requests for this round. */
    record NemesisRound() implements SimEvent {
        public int kind() {
            return 5;
        }
    }

    /** A crashed node comes back. */
    record Restart(long node) implements SimEvent {
        public int kind() {
            return 6;
        }
    }

    /** The nemesis strikes a node that became leader a moment ago, if it still runs. */
    record LeaderFault(long node, int incarnation) implements SimEvent {
        public int kind() {
            return 7;
        }
    }
}
