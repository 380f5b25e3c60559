package dev.meridian.cluster.replica;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.cluster.replica.Replica.ReplicaError;
import dev.meridian.cluster.replica.latch.LatchGuard;
import dev.meridian.proto.kv.AdminChangeReplicasResponse;
import dev.meridian.proto.kv.AdminSplitResponse;
import dev.meridian.proto.kv.AdminTransferLeaseResponse;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.Lease;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.ReplicaDescriptor;
import dev.meridian.proto.kv.ReplicaType;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.ResponseUnion;
import dev.meridian.proto.replication.ChangeReplicasTrigger;
import dev.meridian.proto.replication.RaftCommand;
import dev.meridian.proto.replication.SplitTrigger;
import dev.meridian.raft.ConfChange;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.mvcc.Mvcc;
import dev.meridian.storage.mvcc.MvccStats;
import dev.meridian.storage.mvcc.WriteOptions;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin requests a leaseholder carries out on its range: splits, lease transfers and
 * membership changes. Each runs on the caller's thread and blocks until done.
 */
final class ReplicaAdmin {

    private ReplicaAdmin() {
    }

    static BatchResponse run(Replica r, RequestUnion req) throws InterruptedException {
        if (!r.adminLock.tryLock(r.host().config().latchTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
            throw new ReplicaError(ErrorKind.UNAVAILABLE, "r" + r.rangeId + " is busy with another admin request");
        }
        try {
            return runLocked(r, req);
        } finally {
            r.adminLock.unlock();
        }
    }

    private static BatchResponse runLocked(Replica r, RequestUnion req) throws InterruptedException {
        ResponseUnion.Builder out = ResponseUnion.newBuilder();
        switch (req.getValueCase()) {
            case ADMIN_SPLIT -> out.setAdminSplit(split(r, req.getAdminSplit().getSplitKey().toByteArray()));
            case ADMIN_TRANSFER_LEASE -> {
                r.transferLease(req.getAdminTransferLease().getTargetNodeId());
                out.setAdminTransferLease(AdminTransferLeaseResponse.getDefaultInstance());
            }
            case ADMIN_CHANGE_REPLICAS -> {
                if (req.getAdminChangeReplicas().getRemove()) {
                    throw new ReplicaError(ErrorKind.INVALID_ARGUMENT, "removing replicas comes with rebalancing; not supported yet");
                }
                out.setAdminChangeReplicas(AdminChangeReplicasResponse.newBuilder()
                        .setRangeDescriptor(addVoter(r, req.getAdminChangeReplicas().getTargetNodeId())));
            }
            default -> throw new ReplicaError(ErrorKind.INVALID_ARGUMENT, "not an admin request: " + req.getValueCase());
        }
        return BatchResponse.newBuilder().addResponses(out).build();
    }

    /**
     * Splits the range at {@code splitKey}: one Raft command shrinks this range and creates the
     * right-hand one on the same replicas. The first range updates the meta entries in the same
     * command (it holds them); any other range updates them right after (and every leaseholder
     * repairs its range's entry when it acquires the lease, should this node die in between).
     */
    static AdminSplitResponse split(Replica r, byte[] splitKey) throws InterruptedException {
        RangeDescriptor before = r.descriptor();
        checkSplitKey(before, splitKey);
        r.leaseForServing();
        // Allocated before taking latches: the counter may live in this very range.
        long rightId = r.host().allocateRangeId();
        RangeDescriptor left;
        RangeDescriptor right;
        try (LatchGuard guard = r.latchAll()) {
            Lease lease = r.leaseForServing();
            RangeDescriptor d = r.descriptor();
            if (d.getGeneration() != before.getGeneration()) {
                throw new ReplicaError(ErrorKind.UNAVAILABLE, "r" + r.rangeId + " changed while splitting; retry");
            }
            left = d.toBuilder().setEndKey(ByteString.copyFrom(splitKey)).setGeneration(d.getGeneration() + 1).build();
            right = d.toBuilder().setRangeId(rightId).setStartKey(ByteString.copyFrom(splitKey))
                    .setGeneration(d.getGeneration() + 1).build();
            byte[][] rightBounds = {splitKey, d.getEndKey().toByteArray()};
            MvccStats rightStats = Mvcc.computeStats(r.host().engine(), rightBounds[0], rightBounds[1]);
            RaftCommand.Builder cmd = RaftCommand.newBuilder().setProposerLeaseSequence(lease.getSequence())
                    .setSplit(SplitTrigger.newBuilder().setLeft(left).setRight(right)
                            .setRightStats(RangeStates.toProto(rightStats)));
            if (Keys.contains(d.getStartKey().toByteArray(), d.getEndKey().toByteArray(), Keys.metaKey(splitKey))) {
                try (ReadWriteBatch batch = r.host().engine().newReadWriteBatch()) {
                    MvccStats delta = new MvccStats();
                    WriteOptions wo = WriteOptions.at(r.host().clock().now());
                    Mvcc.put(batch, delta, Keys.metaKey(left.getEndKey().toByteArray()), left.toByteArray(), wo);
                    Mvcc.put(batch, delta, Keys.metaKey(right.getEndKey().toByteArray()), right.toByteArray(), wo);
                    cmd.setWriteBatch(ByteString.copyFrom(batch.encode())).setStatsDelta(RangeStates.toProto(delta));
                }
            }
            r.propose(cmd);
        }
        r.host().metrics().splits.add(1);
        r.host().updateMeta(left);
        r.host().updateMeta(right);
        return AdminSplitResponse.newBuilder().setLeft(left).setRight(right).build();
    }

    private static void checkSplitKey(RangeDescriptor d, byte[] key) {
        if (!Keys.isValidSplitKey(key)) {
            throw new ReplicaError(ErrorKind.INVALID_ARGUMENT, "cannot split at " + Keys.pretty(key)
                    + ": split keys start at " + Keys.pretty(Keys.META_MAX) + " and stay below /Max");
        }
        byte[] start = d.getStartKey().toByteArray();
        if (Keys.compare(key, start) == 0) {
            throw new ReplicaError(ErrorKind.INVALID_ARGUMENT, "r" + d.getRangeId() + " already starts at " + Keys.pretty(key));
        }
        if (!Keys.contains(start, d.getEndKey().toByteArray(), key)) {
            throw new ReplicaError(dev.meridian.proto.kv.Error.newBuilder().setKind(ErrorKind.RANGE_KEY_MISMATCH).setIndex(-1)
                    .setMessage("split key " + Keys.pretty(key) + " is outside " + RangeStates.describe(d))
                    .addDescriptors(d).build());
        }
    }

    /**
     * Adds a voter on {@code nodeId}: first as a learner (which the leader initializes with a
     * snapshot), then promoted through a joint configuration that Raft leaves by itself. Returns
     * the descriptor once the promotion has applied here.
     */
    static RangeDescriptor addVoter(Replica r, long nodeId) throws InterruptedException {
        r.leaseForServing();
        RangeDescriptor d = r.descriptor();
        ReplicaDescriptor existing = RangeStates.replicaOn(d, nodeId).orElse(null);
        if (existing == null) {
            long replicaId = d.getNextReplicaId();
            RangeDescriptor withLearner = d.toBuilder()
                    .addReplicas(ReplicaDescriptor.newBuilder().setNodeId(nodeId).setStoreId(nodeId)
                            .setReplicaId(replicaId).setType(ReplicaType.LEARNER))
                    .setNextReplicaId(replicaId + 1).setGeneration(d.getGeneration() + 1).build();
            changeConf(r, new ConfChange(ConfChange.Transition.AUTO,
                    List.of(new ConfChange.Single(ConfChange.ChangeType.ADD_LEARNER, replicaId))), withLearner);
            d = r.descriptor();
            existing = RangeStates.replicaOn(d, nodeId).orElseThrow();
        }
        if (existing.getType() == ReplicaType.LEARNER) {
            RangeDescriptor.Builder promoted = d.toBuilder().clearReplicas().setGeneration(d.getGeneration() + 1);
            for (ReplicaDescriptor rd : d.getReplicasList()) {
                promoted.addReplicas(rd.getNodeId() == nodeId ? rd.toBuilder().setType(ReplicaType.VOTER_INCOMING).build() : rd);
            }
            changeConf(r, new ConfChange(ConfChange.Transition.JOINT_IMPLICIT,
                    List.of(new ConfChange.Single(ConfChange.ChangeType.ADD_VOTER, existing.getReplicaId()))), promoted.build());
        }
        // Raft leaves the joint configuration by itself; the descriptor follows when it applies.
        long deadline = System.nanoTime() + r.host().config().proposalTimeout().toNanos();
        while (RangeStates.replicaOn(r.descriptor(), nodeId).map(x -> x.getType() != ReplicaType.VOTER).orElse(true)) {
            if (System.nanoTime() > deadline) {
                throw new ReplicaError(ErrorKind.AMBIGUOUS_RESULT, "r" + r.rangeId + ": promotion of n" + nodeId
                        + " did not finish in time; " + RangeStates.describe(r.descriptor()));
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        r.host().updateMeta(r.descriptor());
        return r.descriptor();
    }

    private static void changeConf(Replica r, ConfChange change, RangeDescriptor after) throws InterruptedException {
        r.host().metrics().replicaChanges.add(1);
        byte[] context = ChangeReplicasTrigger.newBuilder().setRangeDescriptor(after).build().toByteArray();
        try {
            r.host().driver().proposeConfChange(r.rangeId, change, context)
                    .get(r.host().config().proposalTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new ReplicaError(ErrorKind.UNAVAILABLE, "r" + r.rangeId + ": membership change " + change
                    + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ReplicaError(ErrorKind.AMBIGUOUS_RESULT, "r" + r.rangeId + ": membership change " + change
                    + " did not apply in time");
        }
    }
}
