package dev.meridian.raft;

import java.nio.charset.StandardCharsets;

/**
 * The answer to {@link RawNode#readIndex}: once this node has applied up to {@code index}, a
 * read of its state machine reflects every write committed before the request was made
 * (linearizable). {@code context} is the request's own context, echoed to match the answer.
 */
public record ReadState(long index, byte[] context) {

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadState r && index == r.index && java.util.Arrays.equals(context, r.context);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + java.util.Arrays.hashCode(context);
    }

    @Override
    public String toString() {
        return "read-state index=" + index + " ctx=" + new String(context, StandardCharsets.UTF_8);
    }
}
