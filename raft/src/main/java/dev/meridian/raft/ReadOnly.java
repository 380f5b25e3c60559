package dev.meridian.raft;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;

/**
 * Read-index requests waiting for a quorum to confirm this leader is still leader. Each
 * request remembers the commit index when it arrived; once a quorum answered a heartbeat that
 * carried its context, that request and every earlier one may be answered with their indexes
 * (earlier heartbeats were sent before, so the same quorum confirmed them too).
 */
final class ReadOnly {

    record Pending(Message request, long index, TreeMap<Long, Boolean> acks) {
    }

    private static final HexFormat HEX = HexFormat.of();

    /** Insertion order is arrival order. */
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();

    void add(long index, Message request) {
        pending.putIfAbsent(HEX.formatHex(request.context()), new Pending(request, index, new TreeMap<>()));
    }

    /** Records a confirmation; returns the acknowledgements so far, or null for an unknown context. */
    TreeMap<Long, Boolean> recvAck(long from, byte[] context) {
        Pending p = pending.get(HEX.formatHex(context));
        if (p == null) {
            return null;
        }
        p.acks().put(from, true);
        return p.acks();
    }

    /** Removes and returns the request with {@code context} and all requests before it. */
    List<Pending> advance(byte[] context) {
        String key = HEX.formatHex(context);
        if (!pending.containsKey(key)) {
            return List.of();
        }
        List<Pending> done = new ArrayList<>();
        var it = pending.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            done.add(e.getValue());
            it.remove();
            if (e.getKey().equals(key)) {
                break;
            }
        }
        return done;
    }

    /** The newest pending context: heartbeats carry it so their answers confirm all pending reads. */
    byte[] lastPendingContext() {
        byte[] last = new byte[0];
        for (Pending p : pending.values()) {
            last = p.request().context();
        }
        return last;
    }

    int size() {
        return pending.size();
    }
}
