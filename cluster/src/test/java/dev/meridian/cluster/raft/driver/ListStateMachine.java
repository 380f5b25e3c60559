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
 */
final class ListStateMachine implements StateMachine {

    /** One applied command. */
    record Applied(long index, String command) {
    }

    private final List<Applied> log = new ArrayList<>();
    private long appliedIndex;
    private int restores;

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
            appliedIndex = index;
            restores++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
