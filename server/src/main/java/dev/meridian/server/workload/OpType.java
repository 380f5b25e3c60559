package dev.meridian.server.workload;

/** The operation types of {@code workload kv}, in report order. */
enum OpType {
    READ("read"),
    WRITE("write");

    private final String label;

    OpType(String label) {
        this.label = label;
    }

    /** The name in report lines and JSON. */
    String label() {
        return label;
    }
}
