package dev.meridian.cluster.raft.driver;

import dev.meridian.raft.ConfChange;
import dev.meridian.raft.Message;

import java.util.concurrent.CompletableFuture;

/**
 * Work for one group, queued in its mailbox by any thread and carried out by the worker that
 * owns the group at that moment: the only way other threads reach a group's Raft node, which is
 * not thread-safe.
 */
sealed interface GroupEvent {

    /** Whether the event ends the group's quiescence. */
    default boolean wakes() {
        return true;
    }

    /** A proposal of this replica's caller: fails at once, without waking, on a non-leader. */
    sealed interface Proposal extends GroupEvent {
        long proposalId();

        CompletableFuture<Long> done();
    }

    /** A message from a peer, with the node it came from (to learn the sender's route). */
    record Step(Message message, long fromNode) implements GroupEvent {
        @Override
        public boolean wakes() {
            // A quiesced leader hears acknowledgements of its last heartbeat; they must not wake
            // it, or leader and followers would keep waking each other. Quiesce requests do not
            // wake either. Everything else a peer sends means the group is busy again.
            return !(message.type() == dev.meridian.raft.MessageType.HEARTBEAT_RESP || QuiesceProtocol.isQuiesceRequest(message));
        }
    }

    record Propose(long proposalId, byte[] command, CompletableFuture<Long> done) implements Proposal {
    }

    /** A membership change; {@code context} is the caller's, without the proposal id. */
    record ProposeConfChange(long proposalId, ConfChange change, byte[] context, CompletableFuture<Long> done)
            implements Proposal {
    }

    record TransferLeadership(long targetReplicaId) implements GroupEvent {
    }

    /** Stop hosting the group and delete its log; {@code done} completes once that is durable. */
    record Remove(CompletableFuture<Void> done) implements GroupEvent {
        @Override
        public boolean wakes() {
            return false;
        }
    }

    record Tick() implements GroupEvent {
        @Override
        public boolean wakes() {
            return false;
        }
    }

    record Campaign() implements GroupEvent {
    }

    record Wake() implements GroupEvent {
    }

    record Unreachable(long replicaId) implements GroupEvent {
        @Override
        public boolean wakes() {
            return false;
        }
    }

    record SnapshotStatus(long replicaId, boolean delivered) implements GroupEvent {
    }

    record Query(CompletableFuture<GroupStatus> done) implements GroupEvent {
        @Override
        public boolean wakes() {
            return false;
        }
    }
}
