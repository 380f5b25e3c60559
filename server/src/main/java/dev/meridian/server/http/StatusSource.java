package dev.meridian.server.http;

import dev.meridian.proto.kv.RangeInfo;

import java.util.List;
import java.util.Objects;

/**
 * What the status server reports about its node. The node implements it; the server calls it
 * on its own threads, once per request, so implementations must be thread-safe and quick (they
 * report state already at hand, they do not go to other nodes). An exception thrown here
 * becomes a 503 on {@code /health} and a 500 on {@code /_status/ranges}.
 */
public interface StatusSource {

    /** Whether this node should receive traffic now, and why not. */
    Health health();

    /** This node's replicas, as it sees them; served in the order returned. */
    List<RangeInfo> ranges();

    /**
     * A node's health.
     *
     * @param healthy   whether the node serves requests
     * @param detail    why it does not (required then, e.g. "draining", "not yet initialized"),
     *                  or a note when it does (may be empty)
     * @param nodeId    the node's id, 0 while it has none yet
     * @param clusterId the cluster's id, empty while the node has not joined one
     */
    record Health(boolean healthy, String detail, long nodeId, String clusterId) {

        /** @throws IllegalArgumentException on a null or (when unhealthy) blank detail, a negative node id or a null cluster id */
        public Health {
            if (detail == null || (!healthy && detail.isBlank())) {
                throw new IllegalArgumentException("an unhealthy node must say why: detail=" + detail);
            }
            if (nodeId < 0) {
                throw new IllegalArgumentException("node id must be >= 0, got " + nodeId);
            }
            Objects.requireNonNull(clusterId, "clusterId (empty when unknown)");
        }

        /** A node that serves requests. */
        public static Health ok(long nodeId, String clusterId) {
            return new Health(true, "", nodeId, clusterId);
        }

        /** A node that does not serve requests, for the given reason. */
        public static Health unavailable(String reason, long nodeId, String clusterId) {
            return new Health(false, reason, nodeId, clusterId);
        }
    }
}
