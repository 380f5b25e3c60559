package dev.meridian.raft;

/** What a node restarts from: its persisted hard state and the membership of its last snapshot. */
public record InitialState(HardState hardState, ConfState confState) {
}
