package dev.meridian.testkit.history;

/** The kind of a history event (TESTING.md, "History format"). */
public enum OpType {
    /** A client began an operation. */
    INVOKE("invoke"),
    /** The operation happened. */
    OK("ok"),
    /** The operation certainly did not happen. */
    FAIL("fail"),
    /** Unknown whether it happened (timeout, ambiguous commit); the process is retired. */
    INFO("info");

    private final String word;

    OpType(String word) {
        this.word = word;
    }

    /** The word used in the text format. */
    public String word() {
        return word;
    }

    public boolean isCompletion() {
        return this != INVOKE;
    }

    static OpType ofWord(String word) {
        for (OpType t : values()) {
            if (t.word.equals(word)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown op type '" + word + "' (expected invoke, ok, fail or info)");
    }
}
