package dev.meridian.testkit.history.bank;

import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.OpType;
import dev.meridian.testkit.history.Operation;
import dev.meridian.testkit.history.Payload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Checks a bank history: a fixed set of accounts whose balances always add up to a fixed total,
 * changed only by transfers. Every {@code ok} read of all accounts must show every account and
 * no other, no null or negative balance, and the total.
 *
 * <p>What it proves: no read observed a partial transfer (read skew), money created or lost
 * (lost update, a transfer applied twice), or a missing row. What it does not: it says nothing
 * about transfers no read observed, and a read that is consistent but stale passes (pair it with
 * the register checker for recency).
 */
public final class BankChecker {

    private BankChecker() {
    }

    /**
     * @param accounts the bank's accounts
     * @param total    what their balances add up to
     */
    public static BankResult check(History history, SortedSet<String> accounts, long total) {
        SortedSet<String> expected = new TreeSet<>(accounts);
        int okReads = 0;
        List<BankResult.BadRead> bad = new ArrayList<>();
        for (Operation op : history.operations()) {
            if (op.outcome() != OpType.OK || !(op.payload() instanceof Payload.ReadAll read)) {
                continue;
            }
            if (read.balances() == null) {
                throw new IllegalArgumentException("an ok read-all must carry balances: " + op);
            }
            okReads++;
            List<BankResult.Finding> findings = inspect(read.balances(), expected, total);
            if (!findings.isEmpty()) {
                bad.add(new BankResult.BadRead(op.completion(), findings));
            }
        }
        return new BankResult(bad.isEmpty(), okReads, bad);
    }

    private static List<BankResult.Finding> inspect(Map<String, Long> balances, SortedSet<String> expected, long total) {
        List<BankResult.Finding> findings = new ArrayList<>();
        for (String account : expected) {
            if (!balances.containsKey(account)) {
                findings.add(new BankResult.Finding(BankResult.Problem.MISSING_ACCOUNT, "account " + account + " is missing"));
            }
        }
        long sum = 0;
        boolean summable = true;
        for (Map.Entry<String, Long> e : balances.entrySet()) {
            if (!expected.contains(e.getKey())) {
                findings.add(new BankResult.Finding(BankResult.Problem.UNEXPECTED_ACCOUNT,
                        "account " + e.getKey() + " does not exist in the bank"));
            }
            Long v = e.getValue();
            if (v == null) {
                findings.add(new BankResult.Finding(BankResult.Problem.NULL_BALANCE, "account " + e.getKey() + " has no balance"));
                summable = false;
                continue;
            }
            if (v < 0) {
                findings.add(new BankResult.Finding(BankResult.Problem.NEGATIVE_BALANCE,
                        "account " + e.getKey() + " has " + v));
            }
            sum = Math.addExact(sum, v);
        }
        if (summable && sum != total) {
            findings.add(new BankResult.Finding(BankResult.Problem.WRONG_TOTAL,
                    "balances add up to " + sum + ", expected " + total + " (off by " + (sum - total) + ")"));
        }
        return findings;
    }
}
