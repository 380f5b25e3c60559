package dev.meridian.cluster.replica;

import dev.meridian.cluster.raft.driver.MultiRaftDriver;
import dev.meridian.cluster.time.HybridClock;
import dev.meridian.storage.Engine;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.proto.kv.RangeDescriptor;
import io.opentelemetry.api.OpenTelemetry;

/** What a {@link Replica} needs from the store that hosts it. */
interface ReplicaHost {

    /**
     * Ends the quiescence of range {@code rangeId}'s group here, so that its election timer
     * runs: called when nobody holds a valid lease and this replica cannot take it (it is not
     * the leader), since the leader may have died while the group was quiet.
     */
    void wakeGroup(long rangeId);

    long nodeId();

    long storeId();

    Engine engine();

    MultiRaftDriver driver();

    HybridClock clock();

    /** Merges a timestamp from elsewhere (a request, a lease start) into the clock; refuses none silently. */
    void updateClock(Timestamp ts);

    StoreConfig config();

    ReplicaMetrics metrics();

    OpenTelemetry otel();

    /** The node of the range's Raft leader as this store last saw it, 0 if unknown. */
    long raftLeaderNode(long rangeId);

    /** A split applied on {@code left}: host the right-hand range. Called on the driver worker. */
    void splitApplied(Replica left, RangeDescriptor right);

    /** Whether this store has an initialized replica of the range (then a split leaves its state alone). */
    boolean hasInitializedReplica(long rangeId);

    /** The cluster's KV API (this node's DistSender): pushes, intent resolution, record queries. */
    dev.meridian.cluster.kv.KvOperations kv();

    /** Who waits for the transactions whose records this store's leaseholders keep. */
    TxnWaiters txnWaiters();

    /** Resolves the intents a finished transaction left on other ranges, in the background. */
    void resolveIntentsAsync(TxnEvaluation.Finalized finalized);

    /** Allocates a new range id through the cluster's KV API. Blocks. */
    long allocateRangeId() throws InterruptedException;

    /** Makes the meta entry of {@code desc} current (unless a newer generation is there). Blocks. */
    void updateMeta(RangeDescriptor desc) throws InterruptedException;
}
