package dev.meridian.cluster.raft.driver;

import dev.meridian.raft.MessageType;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The driver's counters, kept both as OpenTelemetry instruments and as plain totals. */
final class RaftMetrics {

    private static final AttributeKey<String> TYPE = AttributeKey.stringKey("type");

    final DoubleHistogram commitLatency;
    final Counter proposals;
    final Counter proposalsDropped;
    final Counter applied;
    final Counter readyRounds;
    final Counter groupAppends;
    final Counter entriesPersisted;
    final Counter fsyncs;
    final Counter tickerRounds;
    final Counter ticks;
    final Counter sent;
    final Counter received;
    final Counter droppedUnknownGroup;
    final Counter leaderChanges;
    final Counter snapshotsApplied;
    final Counter compactions;
    final Counter messagesUnroutable;
    final Counter groupsCreated;
    final Counter groupsRemoved;
    final Counter replicasCreatedOnDemand;
    final Counter earlyApplies;
    final Counter confChangesProposed;
    final Counter confChangesApplied;
    final AtomicLong quiescent = new AtomicLong();
    private final LongHistogram entriesPerFsync;
    private final DoubleHistogram fsyncLatency;
    private final Map<MessageType, Attributes> typeAttributes = new EnumMap<>(MessageType.class);
    private final LongCounter sentByType;
    private final LongCounter receivedByType;

    /** A monotonic total mirrored into an OpenTelemetry counter. */
    static final class Counter {
        private final LongAdder total = new LongAdder();
        private final LongCounter otel;

        Counter(Meter meter, String name, String description) {
            this.otel = meter.counterBuilder(name).setDescription(description).build();
        }

        void add(long n) {
            if (n != 0) {
                total.add(n);
                otel.add(n);
            }
        }

        long total() {
            return total.sum();
        }
    }

    RaftMetrics(OpenTelemetry otel, long nodeId) {
        Meter m = otel.getMeter("dev.meridian.cluster.raft");
        proposals = new Counter(m, "meridian.raft.proposals", "commands proposed to this node's replicas");
        proposalsDropped = new Counter(m, "meridian.raft.proposals.dropped", "proposals failed before being appended");
        applied = new Counter(m, "meridian.raft.entries.applied", "committed commands applied to state machines");
        readyRounds = new Counter(m, "meridian.raft.ready.rounds", "worker rounds that processed at least one Ready");
        groupAppends = new Counter(m, "meridian.raft.group.appends", "Readies whose entries were persisted");
        entriesPersisted = new Counter(m, "meridian.raft.entries.persisted", "log entries written");
        fsyncs = new Counter(m, "meridian.raft.fsync.batches", "synced engine writes, each covering a round of groups");
        tickerRounds = new Counter(m, "meridian.raft.ticker.rounds", "passes of the ticker");
        ticks = new Counter(m, "meridian.raft.ticks", "ticks delivered to Raft nodes");
        sent = new Counter(m, "meridian.raft.messages.sent.total", "messages handed to the transport");
        received = new Counter(m, "meridian.raft.messages.received.total", "messages received for known groups");
        droppedUnknownGroup = new Counter(m, "meridian.raft.messages.dropped.unknown_group",
                "messages for groups this node does not host");
        leaderChanges = new Counter(m, "meridian.raft.leader.changes", "changes of the known leader of a replica");
        snapshotsApplied = new Counter(m, "meridian.raft.snapshots.applied", "snapshots installed from leaders");
        compactions = new Counter(m, "meridian.raft.log.compactions", "log prefixes discarded after a local snapshot");
        messagesUnroutable = new Counter(m, "meridian.raft.messages.unroutable", "messages to replicas without a known node");
        groupsCreated = new Counter(m, "meridian.raft.groups.created", "group replicas created here (new logs)");
        groupsRemoved = new Counter(m, "meridian.raft.groups.removed", "group replicas removed here with their logs");
        replicasCreatedOnDemand = new Counter(m, "meridian.raft.groups.created.on_demand",
                "uninitialized replicas created for a message from a leader or candidate");
        earlyApplies = new Counter(m, "meridian.raft.applies.early",
                "Readies whose committed entries were applied before the round's log write (all already durable)");
        confChangesProposed = new Counter(m, "meridian.raft.conf_changes.proposed", "membership changes proposed here");
        confChangesApplied = new Counter(m, "meridian.raft.conf_changes.applied",
                "membership changes applied here, the leader's leave-joint steps included");
        entriesPerFsync = m.histogramBuilder("meridian.raft.fsync.entries").ofLongs()
                .setDescription("log entries covered by one synced write").build();
        fsyncLatency = m.histogramBuilder("meridian.raft.fsync.latency").setUnit("ms")
                .setDescription("duration of the synced engine write of a round").build();
        commitLatency = m.histogramBuilder("meridian.raft.proposal.latency").setUnit("s")
                .setDescription("from proposing a command to applying it on the proposing replica")
                .setExplicitBucketBoundariesAdvice(java.util.List.of(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05,
                        0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0))
                .build();
        sentByType = m.counterBuilder("meridian.raft.messages.sent").setDescription("messages sent, by type").build();
        receivedByType = m.counterBuilder("meridian.raft.messages.received").setDescription("messages received, by type").build();
        m.gaugeBuilder("meridian.raft.groups.quiescent").ofLongs().setDescription("replicas whose group is quiet")
                .buildWithCallback(g -> g.record(quiescent.get(), Attributes.of(AttributeKey.longKey("node"), nodeId)));
        for (MessageType t : MessageType.values()) {
            typeAttributes.put(t, Attributes.of(TYPE, t.display()));
        }
    }

    /** Reports the Raft log entries held by this node's groups, for the log-size gauge. */
    void logEntries(Meter m, java.util.function.LongSupplier entries) {
        m.gaugeBuilder("meridian.raft.log.entries").ofLongs()
                .setDescription("entries held in the Raft logs of this node's groups (after compaction)")
                .buildWithCallback(g -> g.record(entries.getAsLong()));
    }

    void fsync(long entries, long nanos) {
        fsyncs.add(1);
        entriesPerFsync.record(entries);
        fsyncLatency.record(nanos / 1e6);
    }

    void sent(MessageType type) {
        sent.add(1);
        sentByType.add(1, typeAttributes.get(type));
    }

    void received(MessageType type) {
        received.add(1);
        receivedByType.add(1, typeAttributes.get(type));
    }

    DriverStats snapshot() {
        return new DriverStats(proposals.total(), proposalsDropped.total(), applied.total(), readyRounds.total(),
                groupAppends.total(), entriesPersisted.total(), fsyncs.total(), tickerRounds.total(), ticks.total(),
                sent.total(), received.total(), droppedUnknownGroup.total(), quiescent.get(), leaderChanges.total(),
                snapshotsApplied.total(), compactions.total(), groupsCreated.total(), groupsRemoved.total(),
                replicasCreatedOnDemand.total(), confChangesProposed.total(), confChangesApplied.total());
    }
}
