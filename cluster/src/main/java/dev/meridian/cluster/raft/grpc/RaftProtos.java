package dev.meridian.cluster.raft.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.meridian.cluster.raft.GroupMessage;
import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.proto.raft.RaftMessage;
import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.EntryType;
import dev.meridian.raft.Message;
import dev.meridian.raft.MessageType;
import dev.meridian.raft.Snapshot;
import dev.meridian.raft.SnapshotMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts the Raft transport's values to their protobuf form and back. Decoding is strict: any
 * value the encoder would never produce (a zero or unknown enum number, a missing required
 * message, a negative node id, term or index) raises {@link MalformedRaftMessageException}, so
 * a damaged batch is refused whole instead of reaching Raft half-decoded.
 *
 * <p>Encoding wraps entry, snapshot and context byte arrays without copying: those arrays are
 * immutable once built ({@link Entry}, {@link Snapshot}), which is what makes sharing safe.
 */
public final class RaftProtos {

    private static final dev.meridian.proto.raft.MessageType[] MESSAGE_TYPE_TO_PROTO =
            new dev.meridian.proto.raft.MessageType[MessageType.values().length];
    private static final dev.meridian.proto.raft.EntryType[] ENTRY_TYPE_TO_PROTO =
            new dev.meridian.proto.raft.EntryType[EntryType.values().length];

    static {
        // The proto enums use the Java names; a Java constant without a proto twin fails here,
        // at class load, rather than on the first message of that type.
        for (MessageType t : MessageType.values()) {
            MESSAGE_TYPE_TO_PROTO[t.ordinal()] = dev.meridian.proto.raft.MessageType.valueOf(t.name());
        }
        for (EntryType t : EntryType.values()) {
            ENTRY_TYPE_TO_PROTO[t.ordinal()] = dev.meridian.proto.raft.EntryType.valueOf(t.name());
        }
    }

    private RaftProtos() {
    }

    public static dev.meridian.proto.raft.RaftMessageBatch toProto(RaftMessageBatch batch) {
        dev.meridian.proto.raft.RaftMessageBatch.Builder b = dev.meridian.proto.raft.RaftMessageBatch.newBuilder()
                .setFromNode(batch.fromNode())
                .setToNode(batch.toNode());
        for (GroupMessage gm : batch.messages()) {
            b.addMessages(dev.meridian.proto.raft.GroupMessage.newBuilder()
                    .setGroupId(gm.groupId())
                    .setMessage(toProto(gm.message())));
        }
        return b.build();
    }

    public static RaftMessage toProto(Message m) {
        RaftMessage.Builder b = RaftMessage.newBuilder()
                .setType(MESSAGE_TYPE_TO_PROTO[m.type().ordinal()])
                .setFrom(m.from())
                .setTo(m.to())
                .setTerm(m.term())
                .setLogTerm(m.logTerm())
                .setIndex(m.index())
                .setCommit(m.commit())
                .setReject(m.reject())
                .setRejectHint(m.rejectHint())
                .setContext(wrap(m.context()));
        for (Entry e : m.entries()) {
            b.addEntries(toProto(e));
        }
        // Only the empty snapshot is left out; any other travels whole, even one with index 0.
        if (!m.snapshot().equals(Snapshot.EMPTY)) {
            b.setSnapshot(toProto(m.snapshot()));
        }
        return b.build();
    }

    static dev.meridian.proto.raft.Entry toProto(Entry e) {
        return dev.meridian.proto.raft.Entry.newBuilder()
                .setTerm(e.term())
                .setIndex(e.index())
                .setType(ENTRY_TYPE_TO_PROTO[e.type().ordinal()])
                .setData(wrap(e.data()))
                .build();
    }

    static dev.meridian.proto.raft.Snapshot toProto(Snapshot s) {
        SnapshotMetadata md = s.metadata();
        ConfState cs = md.confState();
        return dev.meridian.proto.raft.Snapshot.newBuilder()
                .setMetadata(dev.meridian.proto.raft.SnapshotMetadata.newBuilder()
                        .setIndex(md.index())
                        .setTerm(md.term())
                        .setConfState(dev.meridian.proto.raft.ConfState.newBuilder()
                                .addAllVoters(cs.voters())
                                .addAllLearners(cs.learners())
                                .addAllVotersOutgoing(cs.votersOutgoing())
                                .addAllLearnersNext(cs.learnersNext())
                                .setAutoLeave(cs.autoLeave())))
                .setData(wrap(s.data()))
                .build();
    }

    /** Decodes a batch, or throws {@link MalformedRaftMessageException} saying what was wrong. */
    public static RaftMessageBatch fromProto(dev.meridian.proto.raft.RaftMessageBatch p) {
        List<GroupMessage> messages = new ArrayList<>(p.getMessagesCount());
        for (int i = 0; i < p.getMessagesCount(); i++) {
            dev.meridian.proto.raft.GroupMessage gm = p.getMessages(i);
            if (!gm.hasMessage()) {
                throw new MalformedRaftMessageException("group message " + i + " of group " + gm.getGroupId()
                        + " has no message");
            }
            messages.add(new GroupMessage(gm.getGroupId(), fromProto(gm.getMessage())));
        }
        try {
            return new RaftMessageBatch(p.getFromNode(), p.getToNode(), messages);
        } catch (IllegalArgumentException e) {
            throw new MalformedRaftMessageException("bad batch: " + e.getMessage(), e);
        }
    }

    public static Message fromProto(RaftMessage p) {
        Message.Builder b = Message.builder(messageType(p))
                .from(p.getFrom())
                .to(p.getTo())
                .term(p.getTerm())
                .logTerm(p.getLogTerm())
                .index(p.getIndex())
                .commit(p.getCommit())
                .reject(p.getReject())
                .rejectHint(p.getRejectHint())
                .context(p.getContext().toByteArray());
        List<Entry> entries = new ArrayList<>(p.getEntriesCount());
        for (dev.meridian.proto.raft.Entry e : p.getEntriesList()) {
            entries.add(fromProto(e));
        }
        b.entries(entries);
        if (p.hasSnapshot()) {
            b.snapshot(fromProto(p.getSnapshot()));
        }
        return b.build();
    }

    static Entry fromProto(dev.meridian.proto.raft.Entry p) {
        EntryType type = switch (p.getType()) {
            case NORMAL -> EntryType.NORMAL;
            case CONF_CHANGE -> EntryType.CONF_CHANGE;
            case ENTRY_TYPE_UNSPECIFIED, UNRECOGNIZED ->
                    throw new MalformedRaftMessageException("entry " + p.getTerm() + "/" + p.getIndex()
                            + " has unknown type " + p.getTypeValue());
        };
        try {
            return new Entry(p.getTerm(), p.getIndex(), type, p.getData().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new MalformedRaftMessageException("bad entry: " + e.getMessage(), e);
        }
    }

    static Snapshot fromProto(dev.meridian.proto.raft.Snapshot p) {
        if (!p.hasMetadata() || !p.getMetadata().hasConfState()) {
            throw new MalformedRaftMessageException("snapshot without metadata or conf state");
        }
        dev.meridian.proto.raft.SnapshotMetadata md = p.getMetadata();
        dev.meridian.proto.raft.ConfState cs = md.getConfState();
        ConfState confState = new ConfState(cs.getVotersList(), cs.getLearnersList(), cs.getVotersOutgoingList(),
                cs.getLearnersNextList(), cs.getAutoLeave());
        return new Snapshot(new SnapshotMetadata(md.getIndex(), md.getTerm(), confState), p.getData().toByteArray());
    }

    private static MessageType messageType(RaftMessage p) {
        dev.meridian.proto.raft.MessageType t = p.getType();
        if (t == dev.meridian.proto.raft.MessageType.MESSAGE_TYPE_UNSPECIFIED
                || t == dev.meridian.proto.raft.MessageType.UNRECOGNIZED) {
            throw new MalformedRaftMessageException("message " + p.getFrom() + "->" + p.getTo()
                    + " has unknown type " + p.getTypeValue());
        }
        return MessageType.valueOf(t.name());
    }

    private static ByteString wrap(byte[] bytes) {
        return bytes.length == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(bytes);
    }
}
