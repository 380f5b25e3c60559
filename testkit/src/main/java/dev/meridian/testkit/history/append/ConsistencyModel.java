package dev.meridian.testkit.history.append;

/** What a list-append history is checked against: which anomalies make it invalid. */
public enum ConsistencyModel {
    /** Forbids every non-cycle anomaly and every dependency cycle (G0 to G2); allows realtime and process variants. */
    SERIALIZABLE,
    /** Serializable plus each process's transactions in order: also forbids the {@code -process} variants. */
    STRONG_SESSION_SERIALIZABLE,
    /** Serializable in an order that respects real time (Jepsen's "linearizable"): forbids every variant. */
    STRICT_SERIALIZABLE;

    public boolean forbids(AnomalyType type) {
        return switch (type.variant()) {
            case NONE -> true;
            case PROCESS -> this != SERIALIZABLE;
            case REALTIME -> this == STRICT_SERIALIZABLE;
        };
    }
}
