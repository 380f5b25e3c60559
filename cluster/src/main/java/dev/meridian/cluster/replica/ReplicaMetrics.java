package dev.meridian.cluster.replica;

import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.RequestUnion;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The KV layer's counters and timings on one node ({@code meridian.kv.*}). */
public final class ReplicaMetrics {

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("method");
    private static final AttributeKey<String> ERROR = AttributeKey.stringKey("error");

    final LongCounter proposals;
    final LongCounter leaseRequests;
    final LongCounter leaseRequestsRefused;
    final LongCounter leaseTransfers;
    final LongCounter splits;
    final LongCounter replicaChanges;
    final LongCounter snapshotsApplied;
    final LongCounter internalErrors;
    final LongCounter pushes;
    final LongCounter pipelinedWrites;
    final LongCounter recoveries;
    final LongCounter deadlocks;
    final LongCounter asyncResolutions;
    final LongCounter asyncResolutionFailures;
    private final LongCounter errors;
    private final DoubleHistogram latency;
    private final Map<RequestUnion.ValueCase, Attributes> methodAttrs = new EnumMap<>(RequestUnion.ValueCase.class);

    public ReplicaMetrics(OpenTelemetry otel, long nodeId) {
        Meter m = otel.getMeter("dev.meridian.cluster.replica");
        proposals = m.counterBuilder("meridian.kv.proposals").setDescription("commands proposed by leaseholders").build();
        leaseRequests = m.counterBuilder("meridian.kv.lease.requests").setDescription("lease requests and extensions proposed").build();
        leaseRequestsRefused = m.counterBuilder("meridian.kv.lease.refused").setDescription("lease requests refused at apply").build();
        leaseTransfers = m.counterBuilder("meridian.kv.lease.transfers").setDescription("leases handed to another replica").build();
        splits = m.counterBuilder("meridian.kv.splits").setDescription("range splits applied on this node's leaseholders").build();
        replicaChanges = m.counterBuilder("meridian.kv.replica_changes").setDescription("membership changes proposed").build();
        snapshotsApplied = m.counterBuilder("meridian.kv.snapshots.applied").setDescription("range snapshots installed").build();
        pushes = m.counterBuilder("meridian.txn.pushes").setDescription("pushes of intent holders sent by requests that met their intents").build();
        pipelinedWrites = m.counterBuilder("meridian.txn.pipelined_writes").setDescription("transaction writes answered before consensus (write pipelining)").build();
        recoveries = m.counterBuilder("meridian.txn.recoveries").setDescription("abandoned STAGING transactions recovered by pushers").build();
        deadlocks = m.counterBuilder("meridian.txn.deadlocks").setDescription("deadlocks broken by aborting a member").build();
        asyncResolutions = m.counterBuilder("meridian.txn.async_resolutions").setDescription("batches of intents resolved after a commit or abort").build();
        asyncResolutionFailures = m.counterBuilder("meridian.txn.async_resolution_failures").setDescription("background intent resolutions that failed").build();
        internalErrors = m.counterBuilder("meridian.kv.internal_errors").setDescription("requests that failed with INTERNAL").build();
        errors = m.counterBuilder("meridian.kv.errors").setDescription("batches answered with an error, by kind").build();
        latency = m.histogramBuilder("meridian.kv.request.latency").setUnit("s")
                .setDescription("time to serve one range's batch on the leaseholder, by first method")
                .setExplicitBucketBoundariesAdvice(List.of(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                        0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
                .build();
        for (RequestUnion.ValueCase c : RequestUnion.ValueCase.values()) {
            methodAttrs.put(c, Attributes.of(METHOD, c.name().toLowerCase(java.util.Locale.ROOT)));
        }
    }

    void requestDone(BatchRequest request, BatchResponse response, long nanos) {
        RequestUnion.ValueCase method = request.getRequestsCount() == 0 ? RequestUnion.ValueCase.VALUE_NOT_SET
                : request.getRequests(0).getValueCase();
        latency.record(nanos / 1e9, methodAttrs.get(method));
        if (response.hasError()) {
            errors.add(1, Attributes.of(ERROR, response.getError().getKind().name()));
        }
    }
}
