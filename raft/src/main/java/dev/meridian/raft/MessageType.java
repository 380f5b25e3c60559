package dev.meridian.raft;

/**
 * The messages of the protocol. Local ones are made by this node's own API calls and are never
 * sent over the network; the rest travel between nodes.
 */
public enum MessageType {
    /** Local: start an election (election timeout or {@link RawNode#campaign}). */
    HUP("MsgHup", true),
    /** Local: the leader's heartbeat timer fired. */
    BEAT("MsgBeat", true),
    /** A proposal: local, or forwarded by a follower to its leader. */
    PROP("MsgProp", false),
    APP("MsgApp", false),
    APP_RESP("MsgAppResp", false),
    VOTE("MsgVote", false),
    VOTE_RESP("MsgVoteResp", false),
    PRE_VOTE("MsgPreVote", false),
    PRE_VOTE_RESP("MsgPreVoteResp", false),
    SNAP("MsgSnap", false),
    HEARTBEAT("MsgHeartbeat", false),
    HEARTBEAT_RESP("MsgHeartbeatResp", false),
    /** Local: the transport could not reach a peer. */
    UNREACHABLE("MsgUnreachable", true),
    /** Local: how sending a snapshot to a peer ended. */
    SNAP_STATUS("MsgSnapStatus", true),
    /** Local: the leader checks it heard from a quorum within an election timeout. */
    CHECK_QUORUM("MsgCheckQuorum", true),
    /** Ask the leader to hand leadership to {@code from}; may be forwarded by followers. */
    TRANSFER_LEADER("MsgTransferLeader", false),
    /** The leader tells a caught-up transferee to campaign at once, bypassing leases. */
    TIMEOUT_NOW("MsgTimeoutNow", false),
    /** A linearizable read request: local, or forwarded by a follower to its leader. */
    READ_INDEX("MsgReadIndex", false),
    READ_INDEX_RESP("MsgReadIndexResp", false);

    private final String display;
    private final boolean local;

    MessageType(String display, boolean local) {
        this.display = display;
        this.local = local;
    }

    public String display() {
        return display;
    }

    /** Local messages only come from this node's own API; a peer must never send one. */
    public boolean isLocal() {
        return local;
    }

    /** Vote requests and answers carry their own term (pre-votes ask about a future term). */
    public boolean carriesOwnTerm() {
        return this == VOTE || this == VOTE_RESP || this == PRE_VOTE || this == PRE_VOTE_RESP;
    }

    /** The answer type for a vote request type. */
    public MessageType voteResponse() {
        return switch (this) {
            case VOTE -> VOTE_RESP;
            case PRE_VOTE -> PRE_VOTE_RESP;
            default -> throw new IllegalArgumentException(this + " is not a vote request");
        };
    }
}
