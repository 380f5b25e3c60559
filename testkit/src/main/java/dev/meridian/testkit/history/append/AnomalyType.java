package dev.meridian.testkit.history.append;

/**
 * The anomalies the list-append checker reports, by the names TESTING.md uses (Adya's and
 * Elle's). Cycle anomalies have variants for cycles that need realtime or process-order edges.
 */
public enum AnomalyType {
    /** A read disagrees with the transaction's own earlier reads and appends. */
    INTERNAL("internal", Variant.NONE),
    /** A read shows the same element twice. */
    DUPLICATES("duplicates", Variant.NONE),
    /** Two reads of a key are not one a prefix of the other. */
    INCOMPATIBLE_ORDER("incompatible-order", Variant.NONE),
    /** A read shows an element no transaction appended (not in TESTING.md's list; always a bug). */
    GARBAGE_READ("garbage-read", Variant.NONE),
    /** Aborted read: an ok read shows an element of a failed transaction. */
    G1A("G1a", Variant.NONE),
    /** Intermediate read: an ok read ends with an element that was not its writer's last append to that key. */
    G1B("G1b", Variant.NONE),
    /** A committed append follows an element of a failed transaction. */
    DIRTY_UPDATE("dirty-update", Variant.NONE),
    G0("G0", Variant.NONE),
    G1C("G1c", Variant.NONE),
    G_SINGLE("G-single", Variant.NONE),
    G_NONADJACENT("G-nonadjacent", Variant.NONE),
    G2_ITEM("G2-item", Variant.NONE),
    G0_REALTIME("G0-realtime", Variant.REALTIME),
    G1C_REALTIME("G1c-realtime", Variant.REALTIME),
    G_SINGLE_REALTIME("G-single-realtime", Variant.REALTIME),
    G_NONADJACENT_REALTIME("G-nonadjacent-realtime", Variant.REALTIME),
    G2_ITEM_REALTIME("G2-item-realtime", Variant.REALTIME),
    G0_PROCESS("G0-process", Variant.PROCESS),
    G1C_PROCESS("G1c-process", Variant.PROCESS),
    G_SINGLE_PROCESS("G-single-process", Variant.PROCESS),
    G_NONADJACENT_PROCESS("G-nonadjacent-process", Variant.PROCESS),
    G2_ITEM_PROCESS("G2-item-process", Variant.PROCESS);

    /** Which extra edges a cycle needed. */
    public enum Variant { NONE, REALTIME, PROCESS }

    private final String label;
    private final Variant variant;

    AnomalyType(String label, Variant variant) {
        this.label = label;
        this.variant = variant;
    }

    /** The name in reports, e.g. {@code G-single-realtime}. */
    public String label() {
        return label;
    }

    public Variant variant() {
        return variant;
    }

    /** The cycle class with the given extra-edge variant, e.g. (G_SINGLE, REALTIME) → G_SINGLE_REALTIME. */
    static AnomalyType cycle(CycleClass c, Variant v) {
        String name = c.plain.label + switch (v) {
            case NONE -> "";
            case REALTIME -> "-realtime";
            case PROCESS -> "-process";
        };
        for (AnomalyType t : values()) {
            if (t.label.equals(name)) {
                return t;
            }
        }
        throw new IllegalStateException(name);
    }

    /** The five cycle classes of TESTING.md, in the order they are searched for. */
    enum CycleClass {
        G0(AnomalyType.G0), G1C(AnomalyType.G1C), G_SINGLE(AnomalyType.G_SINGLE),
        G_NONADJACENT(AnomalyType.G_NONADJACENT), G2_ITEM(AnomalyType.G2_ITEM);

        final AnomalyType plain;

        CycleClass(AnomalyType plain) {
            this.plain = plain;
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
