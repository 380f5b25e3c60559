package dev.meridian.cluster.replica.lease;

import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.Lease;
import dev.meridian.proto.kv.ReplicaDescriptor;
import dev.meridian.proto.kv.ReplicaType;
import dev.meridian.storage.mvcc.Timestamp;

/** Small builders for lease tests: replica n lives on node n, store n. */
final class LeaseFixtures {

    private LeaseFixtures() {
    }

    static ReplicaDescriptor replica(long n) {
        return ReplicaDescriptor.newBuilder().setNodeId(n).setStoreId(n).setReplicaId(n)
                .setType(ReplicaType.VOTER).build();
    }

    static Lease lease(long holder, long sequence, long start, long expiration) {
        return Lease.newBuilder()
                .setReplica(replica(holder))
                .setStart(Timestamps.toProto(Timestamp.ofWall(start)))
                .setExpiration(Timestamps.toProto(Timestamp.ofWall(expiration)))
                .setSequence(sequence)
                .setProposedTerm(1)
                .build();
    }

    static Timestamp ts(long wall) {
        return Timestamp.ofWall(wall);
    }

    static Timestamp start(Lease l) {
        return Timestamps.fromProto(l.getStart());
    }

    static Timestamp expiration(Lease l) {
        return Timestamps.fromProto(l.getExpiration());
    }
}
