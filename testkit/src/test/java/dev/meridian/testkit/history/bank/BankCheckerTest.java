package dev.meridian.testkit.history.bank;

import dev.meridian.testkit.history.HistoryFormat;
import org.junit.jupiter.api.Test;

import java.util.SortedSet;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class BankCheckerTest {

    private static final SortedSet<String> ACCOUNTS = new TreeSet<>(java.util.List.of("a", "b", "c"));

    private static BankResult check(String readResult) {
        return BankChecker.check(HistoryFormat.parse("""
                1 p0 invoke transfer a b 5
                2 p1 invoke read-all nil
                3 p0 ok transfer a b 5
                4 p1 ok read-all %s
                5 p2 invoke read-all nil
                6 p2 ok read-all a=25 b=35 c=40
                """.formatted(readResult)), ACCOUNTS, 100);
    }

    private static void assertOneBadRead(BankResult r, BankResult.Problem problem, String detail) {
        assertThat(r.valid()).as(r.report()).isFalse();
        assertThat(r.okReads()).isEqualTo(2);
        assertThat(r.badReads()).hasSize(1);
        assertThat(r.badReads().get(0).read().index()).isEqualTo(3);
        assertThat(r.badReads().get(0).findings()).contains(new BankResult.Finding(problem, detail));
    }

    @Test
    void consistentReadsAreValid() {
        BankResult r = check("a=30 b=30 c=40");
        assertThat(r.valid()).as(r.report()).isTrue();
        assertThat(r.okReads()).isEqualTo(2);
        assertThat(r.report()).isEqualTo("bank: valid, 2 ok reads, 0 bad\n");
    }

    @Test
    void missingAccount() {
        assertOneBadRead(check("a=60 c=40"), BankResult.Problem.MISSING_ACCOUNT, "account b is missing");
    }

    @Test
    void unexpectedAccount() {
        BankResult r = check("a=30 b=30 c=40 d=0");
        assertOneBadRead(r, BankResult.Problem.UNEXPECTED_ACCOUNT, "account d does not exist in the bank");
        assertThat(r.badReads().get(0).findings()).hasSize(1);
    }

    @Test
    void nullBalance() {
        BankResult r = check("a=30 b=nil c=40");
        assertOneBadRead(r, BankResult.Problem.NULL_BALANCE, "account b has no balance");
        assertThat(r.badReads().get(0).findings()).hasSize(1);
    }

    @Test
    void negativeBalance() {
        BankResult r = check("a=-10 b=70 c=40");
        assertOneBadRead(r, BankResult.Problem.NEGATIVE_BALANCE, "account a has -10");
        assertThat(r.badReads().get(0).findings()).hasSize(1);
    }

    @Test
    void halfAppliedTransferChangesTheTotal() {
        BankResult r = check("a=25 b=30 c=40");
        assertOneBadRead(r, BankResult.Problem.WRONG_TOTAL, "balances add up to 95, expected 100 (off by -5)");
        assertThat(r.report()).contains("4 p1 ok read-all a=25 b=30 c=40")
                .contains("WRONG_TOTAL: balances add up to 95, expected 100 (off by -5)");
    }

    @Test
    void transferAppliedTwiceShowsUpAsANegativeBalanceOrWrongTotal() {
        BankResult r = check("a=-5 b=65 c=40");
        assertOneBadRead(r, BankResult.Problem.NEGATIVE_BALANCE, "account a has -5");
    }

    @Test
    void failedAndInfoReadsAreNotChecked() {
        BankResult r = BankChecker.check(HistoryFormat.parse("""
                1 p1 invoke read-all nil
                2 p1 info read-all nil
                3 p2 invoke read-all nil
                4 p2 fail read-all nil
                """), ACCOUNTS, 100);
        assertThat(r.valid()).isTrue();
        assertThat(r.okReads()).isZero();
    }
}
