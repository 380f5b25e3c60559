package dev.meridian.cluster.replica;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.ReplicaDescriptor;
import dev.meridian.proto.kv.ReplicaType;
import dev.meridian.proto.replication.RangeState;
import dev.meridian.proto.replication.Stats;
import dev.meridian.storage.CorruptionException;
import dev.meridian.storage.EngineReader;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.mvcc.MvccStats;

import java.util.Optional;

/** Reading and writing a replica's range state, and the conversions it needs. */
public final class RangeStates {

    /** Raft index (and term) at which every range's log starts: a new replica needs a snapshot. */
    public static final long INITIAL_INDEX = 10;
    public static final long INITIAL_TERM = 5;

    private RangeStates() {
    }

    public static Optional<RangeState> read(EngineReader reader, long rangeId) {
        byte[] raw = reader.get(KeySpace.LOCAL, Keys.rangeStateKey(rangeId));
        if (raw == null) {
            return Optional.empty();
        }
        return Optional.of(parse(raw, rangeId));
    }

    static RangeState parse(byte[] raw, long rangeId) {
        try {
            return RangeState.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptionException("range state of r" + rangeId + " is not readable: " + e.getMessage(), Keys.rangeStateKey(rangeId), e);
        }
    }

    public static Stats toProto(MvccStats s) {
        return Stats.newBuilder().setLiveBytes(s.liveBytes()).setLiveCount(s.liveCount()).setKeyBytes(s.keyBytes())
                .setKeyCount(s.keyCount()).setValBytes(s.valBytes()).setValCount(s.valCount())
                .setIntentBytes(s.intentBytes()).setIntentCount(s.intentCount()).build();
    }

    public static MvccStats fromProto(Stats s) {
        return new MvccStats(s.getLiveCount(), s.getLiveBytes(), s.getKeyCount(), s.getKeyBytes(), s.getValCount(),
                s.getValBytes(), s.getIntentCount(), s.getIntentBytes());
    }

    static Stats plus(Stats a, Stats b) {
        MvccStats m = fromProto(a);
        m.add(fromProto(b));
        return toProto(m);
    }

    static Stats minus(Stats a, Stats b) {
        MvccStats m = fromProto(a);
        m.subtract(fromProto(b));
        return toProto(m);
    }

    /** The replica of {@code nodeId} in {@code desc}, if any. */
    public static Optional<ReplicaDescriptor> replicaOn(RangeDescriptor desc, long nodeId) {
        return desc.getReplicasList().stream().filter(r -> r.getNodeId() == nodeId).findFirst();
    }

    public static boolean isVoter(ReplicaDescriptor r) {
        return r.getType() == ReplicaType.VOTER || r.getType() == ReplicaType.VOTER_INCOMING
                || r.getType() == ReplicaType.VOTER_OUTGOING;
    }

    public static String describe(RangeDescriptor d) {
        StringBuilder sb = new StringBuilder("r").append(d.getRangeId()).append(" [")
                .append(Keys.pretty(d.getStartKey().toByteArray())).append(", ")
                .append(Keys.pretty(d.getEndKey().toByteArray())).append(") gen ").append(d.getGeneration()).append(" {");
        for (int i = 0; i < d.getReplicasCount(); i++) {
            ReplicaDescriptor r = d.getReplicas(i);
            sb.append(i == 0 ? "" : ", ").append('n').append(r.getNodeId()).append('/').append(r.getReplicaId());
            if (r.getType() != ReplicaType.VOTER) {
                sb.append(' ').append(r.getType().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return sb.append('}').toString();
    }
}
