package dev.meridian.cluster.raft.driver;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A state machine that records every command with its index, in memory: two replicas that
 * applied the same commands in the same order have equal {@link #log()}s. Checks that indexes
 * only grow, which a driver applying out of order or twice would break.
 *
 * <p>Membership changes are recorded too ({@link #confChanges()}). A context of the form
 * {@code label|1@1,2@2} acts like a range descriptor: from then on (and in snapshots)
 * {@link #peers()} lists replica@node pairs after the bar.
 */
final class ListStateMachine implements StateMachine {

    /** One applied command. */
    record Applied(long index, String command) {
    }

    /** One applied membership change and its context. */
    record ConfChangeApplied(long index, String context) {
    }

    private final List<Applied> log = new ArrayList<>();
    private long appliedIndex;
    private int restores;
    private final List<ConfChangeApplied> confChanges = new ArrayList<>();
    /** The peers part of the last descriptor-like context, or null. */
    private String descriptor;

    @Override
    public synchronized void apply(long index, byte[] command) {
        if (index <= appliedIndex) {
            throw new AssertionError("applied " + index + " after " + appliedIndex);
        }
        appliedIndex = index;
        log.add(new Applied(index, new String(command, StandardCharsets.UTF_8)));
    }

    @Override
    public synchronized long appliedIndex() {
        return appliedIndex;
    }

    @Override
    public synchronized byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(log.size());
            for (Applied a : log) {
                out.writeLong(a.index());
                out.writeUTF(a.command());
            }
            out.writeUTF(descriptor == null ? "" : descriptor);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void restore(long index, byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
            log.clear();
            int n = data.length == 0 ? 0 : in.readInt();
            for (int i = 0; i < n; i++) {
                log.add(new Applied(in.readLong(), in.readUTF()));
            }
            String d = in.available() > 0 ? in.readUTF() : "";
            descriptor = d.isEmpty() ? null : d;
            appliedIndex = index;
            restores++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void applyConfChange(long index, byte[] context) {
        if (index <= appliedIndex) {
            throw new AssertionError("conf change applied at " + index + " after " + appliedIndex);
        }
        appliedIndex = index;
        String c = new String(context, StandardCharsets.UTF_8);
        confChanges.add(new ConfChangeApplied(index, c));
        int bar = c.indexOf('|');
        if (bar >= 0) {
            descriptor = c.substring(bar + 1);
        }
    }

    @Override
    public synchronized List<Peer> peers() {
        if (descriptor == null) {
            return null;
        }
        List<Peer> peers = new ArrayList<>();
        for (String p : descriptor.split(",")) {
            String[] parts = p.split("@");
            peers.add(new Peer(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
        }
        return peers;
    }

    synchronized List<ConfChangeApplied> confChanges() {
        return List.copyOf(confChanges);
    }

    synchronized List<Applied> log() {
        return List.copyOf(log);
    }

    synchronized List<String> commands() {
        return log.stream().map(Applied::command).toList();
    }

    synchronized int restores() {
        return restores;
    }
}
