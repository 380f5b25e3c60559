package dev.meridian.server.http;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.proto.kv.Lease;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.RangeInfo;
import dev.meridian.proto.kv.ReplicaDescriptor;
import dev.meridian.proto.kv.ReplicaType;
import dev.meridian.proto.kv.Timestamp;

import java.util.HexFormat;
import java.util.List;

/**
 * The JSON bodies of the status endpoints.
 *
 * <p>Keys are objects {@code {"pretty": Keys.pretty(key), "hex": lowercase hex}}: pretty to
 * read, hex to copy into a tool exactly. Ids, indexes and sizes are JSON numbers; HLC wall times
 * are decimal strings (as in the protobuf JSON mapping of int64), because nanoseconds since the
 * epoch do not fit a JavaScript number exactly. Stateless and thread-safe.
 */
final class StatusJson {

    private static final HexFormat HEX = HexFormat.of();

    private StatusJson() {
    }

    /** {@code {"status":"ok"|"unavailable", "detail"|"reason": …, "nodeId": …|null, "clusterId": …|null}}. */
    static String health(StatusSource.Health health) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("status").value(health.healthy() ? "ok" : "unavailable");
        json.name(health.healthy() ? "detail" : "reason").value(health.detail());
        json.name("nodeId");
        if (health.nodeId() == 0) {
            json.nullValue();
        } else {
            json.value(health.nodeId());
        }
        json.name("clusterId").value(health.clusterId().isEmpty() ? null : health.clusterId());
        return json.endObject().toJson();
    }

    /** {@code {"error": message, "status": code}}. */
    static String error(int status, String message) {
        return new JsonWriter().beginObject()
                .name("error").value(message)
                .name("status").value(status)
                .endObject().toJson();
    }

    /** A JSON array with one object per range, in the given order. */
    static String ranges(List<RangeInfo> ranges) {
        JsonWriter json = new JsonWriter().beginArray();
        for (RangeInfo range : ranges) {
            writeRange(json, range);
        }
        return json.endArray().toJson();
    }

    private static void writeRange(JsonWriter json, RangeInfo info) {
        RangeDescriptor desc = info.getRangeDescriptor();
        json.beginObject();
        json.name("rangeId").value(desc.getRangeId());
        json.name("startKey");
        writeKey(json, desc.getStartKey());
        json.name("endKey");
        writeKey(json, desc.getEndKey());
        json.name("generation").value(desc.getGeneration());
        json.name("replicas").beginArray();
        for (ReplicaDescriptor replica : desc.getReplicasList()) {
            writeReplica(json, replica);
        }
        json.endArray();
        json.name("leaseholderNodeId");
        if (info.hasLease() && info.getLease().hasReplica()) {
            json.value(info.getLease().getReplica().getNodeId());
        } else {
            json.nullValue();
        }
        json.name("lease");
        writeLease(json, info);
        json.name("raftLeaderNodeId").value(info.getRaftLeaderNodeId());
        json.name("appliedIndex").value(info.getAppliedIndex());
        json.name("liveBytes").value(info.getLiveBytes());
        json.name("keyCount").value(info.getKeyCount());
        json.endObject();
    }

    private static void writeKey(JsonWriter json, ByteString key) {
        byte[] bytes = key.toByteArray();
        json.beginObject().name("pretty").value(Keys.pretty(bytes)).name("hex").value(HEX.formatHex(bytes)).endObject();
    }

    private static void writeReplica(JsonWriter json, ReplicaDescriptor replica) {
        json.beginObject()
                .name("nodeId").value(replica.getNodeId())
                .name("storeId").value(replica.getStoreId())
                .name("replicaId").value(replica.getReplicaId())
                .name("type").value(typeName(replica))
                .endObject();
    }

    private static String typeName(ReplicaDescriptor replica) {
        ReplicaType type = replica.getType();
        // A newer node may send a type this build does not know: show its number, not a guess.
        return type == ReplicaType.UNRECOGNIZED ? "UNKNOWN(" + replica.getTypeValue() + ")" : type.name();
    }

    private static void writeLease(JsonWriter json, RangeInfo info) {
        if (!info.hasLease()) {
            json.nullValue();
            return;
        }
        Lease lease = info.getLease();
        json.beginObject();
        json.name("replicaId").value(lease.getReplica().getReplicaId());
        json.name("sequence").value(lease.getSequence());
        json.name("start");
        writeTimestamp(json, lease.getStart());
        json.name("expiration");
        writeTimestamp(json, lease.getExpiration());
        json.name("proposedTerm").value(lease.getProposedTerm());
        json.endObject();
    }

    private static void writeTimestamp(JsonWriter json, Timestamp ts) {
        json.beginObject()
                .name("wallNanos").value(Long.toString(ts.getWallNanos()))
                .name("logical").value(ts.getLogical())
                .endObject();
    }
}
