package dev.meridian.testkit.history.bank;

import dev.meridian.testkit.history.Op;

import java.util.List;

/**
 * The verdict of {@link BankChecker}.
 *
 * @param valid    true when no ok read is bad
 * @param okReads  how many ok reads were checked (a run with none proves nothing)
 * @param badReads every bad read, in history order
 */
public record BankResult(boolean valid, int okReads, List<BadRead> badReads) {
    public BankResult {
        badReads = List.copyOf(badReads);
    }

    /** What can be wrong with a read of all accounts. */
    public enum Problem {
        /** An account the bank has is absent from the read. */
        MISSING_ACCOUNT,
        /** The read shows an account the bank does not have. */
        UNEXPECTED_ACCOUNT,
        /** An account is present with no balance. */
        NULL_BALANCE,
        /** A balance is below zero. */
        NEGATIVE_BALANCE,
        /** The balances do not add up to the bank's total. */
        WRONG_TOTAL
    }

    /** One thing wrong with one read, e.g. {@code NEGATIVE_BALANCE "account b has -3"}. */
    public record Finding(Problem problem, String detail) {
    }

    /** A bad ok read: the completion event and everything wrong with it. */
    public record BadRead(Op read, List<Finding> findings) {
        public BadRead {
            findings = List.copyOf(findings);
        }
    }

    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("bank: ").append(valid ? "valid" : "INVALID").append(", ").append(okReads).append(" ok reads, ")
                .append(badReads.size()).append(" bad\n");
        for (BadRead b : badReads) {
            sb.append("  ").append(b.read()).append('\n');
            for (Finding f : b.findings()) {
                sb.append("    ").append(f.problem()).append(": ").append(f.detail()).append('\n');
            }
        }
        return sb.toString();
    }
}
