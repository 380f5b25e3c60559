package dev.meridian.raft;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A membership change, proposed with {@link RawNode#proposeConfChange} and carried in a
 * {@link EntryType#CONF_CHANGE} entry. It takes effect on a node when that node applies the
 * entry ({@link RawNode#applyConfChange}), not when it is appended.
 *
 * <ul>
 *   <li>No changes: leave the joint configuration.</li>
 *   <li>One change with {@link Transition#AUTO}: a simple change, allowed when it changes at
 *       most one voter (a majority of the old and of the new configuration then overlap).</li>
 *   <li>Otherwise: enter a joint configuration C(old,new) in which decisions need majorities of
 *       both; left automatically ({@code AUTO}, {@code JOINT_IMPLICIT}) or by an explicit empty
 *       change ({@code JOINT_EXPLICIT}).</li>
 * </ul>
 *
 * <p>{@code context} is opaque to Raft: it travels unchanged in the entry (the caller learns it
 * back when the entry applies, e.g. a range's new descriptor). Changes the leader proposes by
 * itself (leaving a joint state automatically) have an empty context. The array is copied in
 * and out, and equality, hash code and {@code toString} use its content.
 */
public record ConfChange(Transition transition, List<Single> changes, byte[] context) {

    private static final byte[] NO_CONTEXT = new byte[0];

    public enum ChangeType { ADD_VOTER, ADD_LEARNER, REMOVE_NODE }

    public enum Transition {
        /** Simple if possible, else joint and left automatically. */
        AUTO,
        /** Always joint, left automatically by the leader. */
        JOINT_IMPLICIT,
        /** Always joint, left only by an explicit empty change. */
        JOINT_EXPLICIT
    }

    /** One node's change. */
    public record Single(ChangeType type, long nodeId) {
        @Override
        public String toString() {
            return switch (type) {
                case ADD_VOTER -> "v" + nodeId;
                case ADD_LEARNER -> "l" + nodeId;
                case REMOVE_NODE -> "r" + nodeId;
            };
        }
    }

    public ConfChange {
        Objects.requireNonNull(transition, "transition");
        changes = List.copyOf(changes);
        context = context == null || context.length == 0 ? NO_CONTEXT : context.clone();
    }

    /** A change without context. */
    public ConfChange(Transition transition, List<Single> changes) {
        this(transition, changes, NO_CONTEXT);
    }

    /** The context, a copy (empty if none). */
    @Override
    public byte[] context() {
        return context.length == 0 ? NO_CONTEXT : context.clone();
    }

    /** This change with {@code newContext} (null or empty: none). */
    public ConfChange withContext(byte[] newContext) {
        return new ConfChange(transition, changes, newContext);
    }

    public static ConfChange leaveJoint() {
        return new ConfChange(Transition.AUTO, List.of());
    }

    public boolean isLeaveJoint() {
        return changes.isEmpty();
    }

    /** Whether applying this enters a joint configuration, and whether that is left automatically. */
    boolean entersJoint() {
        return changes.size() > 1 || (changes.size() == 1 && transition != Transition.AUTO);
    }

    boolean autoLeave() {
        return transition != Transition.JOINT_EXPLICIT;
    }

    /**
     * The entry encoding: transition, change count, the changes, then (only if the context is
     * not empty) its length and bytes. A change without context encodes exactly as before
     * contexts existed, so old log entries and the entry sizes flow control counts stay the same.
     */
    public byte[] encode() {
        int contextBytes = context.length == 0 ? 0 : 4 + context.length;
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + changes.size() * 9 + contextBytes);
        b.put((byte) transition.ordinal());
        b.putInt(changes.size());
        for (Single s : changes) {
            b.put((byte) s.type().ordinal());
            b.putLong(s.nodeId());
        }
        if (contextBytes > 0) {
            b.putInt(context.length);
            b.put(context);
        }
        return b.array();
    }

    /**
     * Decodes {@link #encode}'s output, with or without a context.
     *
     * @throws IllegalArgumentException if {@code data} is not a well-formed encoding
     */
    public static ConfChange decode(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        if (b.remaining() < 5) {
            throw new IllegalArgumentException("conf change too short: " + data.length + " bytes");
        }
        int transition = b.get();
        int n = b.getInt();
        if (transition < 0 || transition >= Transition.values().length || n < 0 || b.remaining() < (long) n * 9) {
            throw new IllegalArgumentException("malformed conf change: transition " + transition + ", " + n
                    + " changes in " + data.length + " bytes");
        }
        List<Single> changes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int type = b.get();
            if (type < 0 || type >= ChangeType.values().length) {
                throw new IllegalArgumentException("malformed conf change: change type " + type);
            }
            changes.add(new Single(ChangeType.values()[type], b.getLong()));
        }
        return new ConfChange(Transition.values()[transition], changes, decodeContext(b, data.length));
    }

    private static byte[] decodeContext(ByteBuffer b, int total) {
        if (!b.hasRemaining()) {
            return NO_CONTEXT;
        }
        int length = b.remaining() >= 4 ? b.getInt() : -1;
        if (length <= 0 || b.remaining() != length) {
            throw new IllegalArgumentException("malformed conf change context in " + total + " bytes");
        }
        byte[] context = new byte[length];
        b.get(context);
        return context;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfChange c && transition == c.transition && changes.equals(c.changes)
                && Arrays.equals(context, c.context);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transition, changes) * 31 + Arrays.hashCode(context);
    }

    @Override
    public String toString() {
        String ctx = context.length == 0 ? "" : " context=" + HexFormat.of().formatHex(context);
        if (changes.isEmpty()) {
            return "leave-joint" + ctx;
        }
        StringBuilder b = new StringBuilder();
        for (Single s : changes) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(s);
        }
        if (transition != Transition.AUTO) {
            b.append(transition == Transition.JOINT_EXPLICIT ? " explicit" : " implicit");
        }
        return b.append(ctx).toString();
    }
}
