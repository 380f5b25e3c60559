package dev.meridian.raft;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One protocol message. Fields a type does not use are zero, empty or {@link Snapshot#EMPTY}.
 *
 * <ul>
 *   <li>{@code APP}: entries following ({@code index}, {@code logTerm}), leader's {@code commit}.</li>
 *   <li>{@code APP_RESP}: accepted up to {@code index}; or {@code reject} of the append at
 *       {@code index} with the follower's hint: its log may match at {@code rejectHint},
 *       whose term is {@code logTerm} (fast back-off).</li>
 *   <li>{@code VOTE}/{@code PRE_VOTE}: candidate's last {@code index} and {@code logTerm};
 *       {@code context} is {@link #CAMPAIGN_TRANSFER} for a leadership transfer.</li>
 *   <li>{@code HEARTBEAT}: {@code commit} (capped at the follower's match), the leader's tick
 *       count at sending in {@code index}, and the read-index {@code context} being confirmed;
 *       the response echoes {@code index} and {@code context} (lease and read-index basis).</li>
 *   <li>{@code READ_INDEX}/{@code READ_INDEX_RESP}: {@code context} identifies the request,
 *       {@code index} is the read index in the answer.</li>
 * </ul>
 */
public record Message(MessageType type, long from, long to, long term, long logTerm, long index,
                      List<Entry> entries, long commit, boolean reject, long rejectHint,
                      Snapshot snapshot, byte[] context) {

    /** Context of vote requests that a leadership transfer triggered: they bypass leases. */
    public static final byte[] CAMPAIGN_TRANSFER = "CampaignTransfer".getBytes(StandardCharsets.UTF_8);

    public Message {
        entries = entries == null ? List.of() : List.copyOf(entries);
        snapshot = snapshot == null ? Snapshot.EMPTY : snapshot;
        context = context == null ? new byte[0] : context;
    }

    public static Builder builder(MessageType type) {
        return new Builder(type);
    }

    public Builder toBuilder() {
        return new Builder(type).from(from).to(to).term(term).logTerm(logTerm).index(index).entries(entries)
                .commit(commit).reject(reject).rejectHint(rejectHint).snapshot(snapshot).context(context);
    }

    /** Sum of entry payload sizes. */
    public long payloadSize() {
        long n = 0;
        for (Entry e : entries) {
            n += e.size();
        }
        return n;
    }

    /** Builds messages field by field; unset fields are zero or empty. */
    public static final class Builder {
        private final MessageType type;
        private long from;
        private long to;
        private long term;
        private long logTerm;
        private long index;
        private List<Entry> entries = List.of();
        private long commit;
        private boolean reject;
        private long rejectHint;
        private Snapshot snapshot = Snapshot.EMPTY;
        private byte[] context = new byte[0];

        private Builder(MessageType type) {
            this.type = type;
        }

        public Builder from(long v) { this.from = v; return this; }
        public Builder to(long v) { this.to = v; return this; }
        public Builder term(long v) { this.term = v; return this; }
        public Builder logTerm(long v) { this.logTerm = v; return this; }
        public Builder index(long v) { this.index = v; return this; }
        public Builder entries(List<Entry> v) { this.entries = v; return this; }
        public Builder commit(long v) { this.commit = v; return this; }
        public Builder reject(boolean v) { this.reject = v; return this; }
        public Builder rejectHint(long v) { this.rejectHint = v; return this; }
        public Builder snapshot(Snapshot v) { this.snapshot = v; return this; }
        public Builder context(byte[] v) { this.context = v; return this; }

        public Message build() {
            return new Message(type, from, to, term, logTerm, index, entries, commit, reject, rejectHint, snapshot, context);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && type == m.type && from == m.from && to == m.to && term == m.term
                && logTerm == m.logTerm && index == m.index && entries.equals(m.entries) && commit == m.commit
                && reject == m.reject && rejectHint == m.rejectHint && snapshot.equals(m.snapshot)
                && java.util.Arrays.equals(context, m.context);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(type, from, to, term, index, entries) * 31 + java.util.Arrays.hashCode(context);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(from).append("->").append(to).append(' ').append(type.display())
                .append(" Term:").append(term);
        switch (type) {
            case APP -> b.append(" Log:").append(logTerm).append('/').append(index).append(" Commit:").append(commit);
            case APP_RESP -> {
                b.append(" Index:").append(index);
                if (reject) {
                    b.append(" Rejected (Hint: ").append(logTerm).append('/').append(rejectHint).append(')');
                }
            }
            case VOTE, PRE_VOTE -> b.append(" Log:").append(logTerm).append('/').append(index);
            case VOTE_RESP, PRE_VOTE_RESP -> {
                if (reject) {
                    b.append(" Rejected");
                }
            }
            case HEARTBEAT -> b.append(" Commit:").append(commit);
            case READ_INDEX_RESP -> b.append(" Index:").append(index);
            default -> {
            }
        }
        if (context.length > 0) {
            b.append(" Ctx:").append(new String(context, StandardCharsets.UTF_8));
        }
        if (!entries.isEmpty()) {
            b.append(" Entries:").append(entries);
        }
        if (!snapshot.isEmpty()) {
            b.append(" Snapshot:").append(snapshot.term()).append('/').append(snapshot.index())
                    .append(' ').append(snapshot.metadata().confState());
        }
        return b.toString();
    }
}
