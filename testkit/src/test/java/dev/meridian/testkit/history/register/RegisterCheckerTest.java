package dev.meridian.testkit.history.register;

import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.HistoryFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RegisterCheckerTest {

    private static RegisterResult check(String text) {
        return RegisterChecker.check(HistoryFormat.parse(text));
    }

    private static void assertNotLinearizable(RegisterResult r, String failingOp, String... possibleValues) {
        assertThat(r.valid()).as(r.report()).isFalse();
        assertThat(r.failures()).hasSize(1);
        RegisterResult.Witness w = r.failures().get(0).witness();
        assertThat(w.operation().toString()).as(r.report()).isEqualTo(failingOp);
        assertThat(w.possibleValues()).as(r.report()).containsExactly(possibleValues);
    }

    // ---- known bad ----

    @Test
    void staleReadAfterACompletedWrite() {
        RegisterResult r = check("""
                1 p0 invoke write x 1
                2 p0 ok write x 1
                3 p0 invoke write x 2
                4 p0 ok write x 2
                5 p1 invoke read x nil
                6 p1 ok read x 1
                """);
        assertNotLinearizable(r, "p1 ok read x 1 @4..5", "2");
        assertThat(r.report()).contains("cannot linearize p1 ok read x 1 @4..5")
                .contains("values the register could hold before it completed: 2")
                .contains("p0 ok write x 2 @2..3");
    }

    @Test
    void readOfAValueNeverWritten() {
        RegisterResult r = check("""
                1 p0 invoke write x 1
                2 p1 invoke read x nil
                3 p0 ok write x 1
                4 p1 ok read x 7
                """);
        // The write completed before the read did, so by then the register held 1.
        assertNotLinearizable(r, "p1 ok read x 7 @1..3", "1");
    }

    @Test
    void lostWriteReadsTheInitialValue() {
        RegisterResult r = check("""
                1 p0 invoke write x 1
                2 p0 ok write x 1
                3 p1 invoke read x nil
                4 p1 ok read x nil
                """);
        assertNotLinearizable(r, "p1 ok read x nil @2..3", "1");
    }

    @Test
    void casThatSucceededFromAValueThatCouldNotHaveBeenCurrent() {
        RegisterResult r = check("""
                1 p0 invoke write x 1
                2 p0 ok write x 1
                3 p1 invoke write x 2
                4 p1 ok write x 2
                5 p2 invoke cas x 1 3
                6 p2 ok cas x 1 3
                """);
        assertNotLinearizable(r, "p2 ok cas x 1 3 @4..5", "2");
    }

    @Test
    void writesSeenOutOfOrder() {
        // Two concurrent writes; a reader sees 2, then 1, then 2 again: that needs a third write.
        RegisterResult r = check("""
                1 p0 invoke write x 1
                2 p1 invoke write x 2
                3 p2 invoke read x nil
                4 p2 ok read x 2
                5 p2 invoke read x nil
                6 p2 ok read x 1
                7 p2 invoke read x nil
                8 p2 ok read x 2
                9 p0 ok write x 1
                10 p1 ok write x 2
                """);
        assertNotLinearizable(r, "p2 ok read x 2 @6..7", "1");
    }

    @Test
    void infoWriteCannotTakeEffectBeforeItsInvocation() {
        RegisterResult r = check("""
                1 p0 invoke read x nil
                2 p0 ok read x 5
                3 p1 invoke write x 5
                4 p1 info write x 5
                """);
        assertNotLinearizable(r, "p0 ok read x 5 @0..1", "nil");
    }

    @Test
    void failedWriteIsDroppedSoItsValueCannotBeRead() {
        RegisterResult r = check("""
                1 p0 invoke write x 5
                2 p0 fail write x 5
                3 p1 invoke read x nil
                4 p1 ok read x 5
                """);
        assertNotLinearizable(r, "p1 ok read x 5 @2..3", "nil");
    }

    @Test
    void onlyTheBadKeyFails() {
        RegisterResult r = check("""
                1 p0 invoke write x 1
                2 p0 ok write x 1
                3 p1 invoke write y 1
                4 p1 ok write y 1
                5 p0 invoke read y nil
                6 p0 ok read y nil
                7 p1 invoke read x nil
                8 p1 ok read x 1
                """);
        assertThat(r.valid()).isFalse();
        assertThat(r.keys()).extracting(RegisterResult.KeyVerdict::key).containsExactly("x", "y");
        assertThat(r.keys()).extracting(RegisterResult.KeyVerdict::linearizable).containsExactly(true, false);
    }

    @Test
    void infoWriteSeenAndThenUndone() {
        RegisterResult r = check("""
                1 p0 invoke write x 1
                2 p0 ok write x 1
                3 p1 invoke write x 2
                4 p1 info write x 2
                5 p0 invoke read x nil
                6 p0 ok read x 2
                7 p0 invoke read x nil
                8 p0 ok read x 1
                """);
        assertNotLinearizable(r, "p0 ok read x 1 @6..7", "2");
    }

    @Test
    void savedHistoryReplaysFromAFile() throws Exception {
        History h = HistoryFormat.read(java.nio.file.Path.of("src/test/resources/history/register/cas-after-timeout.txt"));
        RegisterResult r = RegisterChecker.check(h);
        assertNotLinearizable(r, "p3 ok read x 1 @6..7", "3");
        // The same history with the last read seeing the cas's value is fine.
        History fixed = HistoryFormat.parse(HistoryFormat.print(h).replace("p3 ok read x 1", "p3 ok read x 3"));
        assertThat(RegisterChecker.check(fixed).valid()).isTrue();
    }

    // ---- known good ----

    @Test
    void infoWritesNobodyObservedMayNeverHappen() {
        StringBuilder sb = new StringBuilder("0 p0 invoke write x 1\n1 p0 ok write x 1\n");
        for (int p = 1; p <= 40; p++) {
            sb.append(2 * p).append(" p").append(p).append(" invoke write x ").append(100 + p).append('\n');
            sb.append(2 * p + 1).append(" p").append(p).append(" info write x ").append(100 + p).append('\n');
        }
        sb.append("100 p0 invoke read x nil\n101 p0 ok read x 1\n");
        RegisterResult r = check(sb.toString());
        assertThat(r.valid()).isTrue();
        assertThat(check(sb.toString().replace("ok read x 1", "ok read x 120")).valid()).isTrue();
        assertThat(check(sb.toString().replace("ok read x 1", "ok read x 99")).valid()).isFalse();
    }

    @Test
    void infoWriteThatTookEffect() {
        assertThat(check("""
                1 p0 invoke write x 1
                2 p0 ok write x 1
                3 p1 invoke write x 2
                4 p1 info write x 2
                5 p0 invoke read x nil
                6 p0 ok read x 2
                7 p0 invoke read x nil
                8 p0 ok read x 2
                """).valid()).isTrue();
    }

    @Test
    void infoWriteThatDidNotTakeEffect() {
        assertThat(check("""
                1 p0 invoke write x 1
                2 p0 ok write x 1
                3 p1 invoke write x 2
                4 p1 info write x 2
                5 p0 invoke read x nil
                6 p0 ok read x 1
                """).valid()).isTrue();
    }

    @Test
    void infoWriteTakingEffectLongAfterItsCompletion() {
        assertThat(check("""
                1 p1 invoke write x 2
                2 p1 info write x 2
                3 p0 invoke write x 1
                4 p0 ok write x 1
                5 p0 invoke read x nil
                6 p0 ok read x 1
                7 p0 invoke read x nil
                8 p0 ok read x 2
                """).valid()).isTrue();
    }

    @Test
    void infoReadConstrainsNothing() {
        assertThat(check("""
                1 p0 invoke write x 1
                2 p0 ok write x 1
                3 p1 invoke read x nil
                4 p1 info read x nil
                """).valid()).isTrue();
    }

    @Test
    void initialValueIsHonoured() {
        History h = HistoryFormat.parse("""
                1 p0 invoke cas x 0 1
                2 p0 ok cas x 0 1
                """);
        assertThat(RegisterChecker.check(h, 0L).valid()).isTrue();
        assertThat(RegisterChecker.check(h).valid()).isFalse();
    }

    /** Three overlapping operations: write 1, write 2, read v; completions in every order. */
    static Stream<String> concurrentOverlaps() {
        List<String> ends = List.of("p0 ok write x 1", "p1 ok write x 2", "p2 ok read x V");
        List<String> histories = new ArrayList<>();
        for (List<String> order : permutations(ends)) {
            StringBuilder sb = new StringBuilder("1 p0 invoke write x 1\n2 p1 invoke write x 2\n3 p2 invoke read x nil\n");
            for (int i = 0; i < order.size(); i++) {
                sb.append(4 + i).append(' ').append(order.get(i)).append('\n');
            }
            histories.add(sb.toString());
        }
        return histories.stream();
    }

    private static List<List<String>> permutations(List<String> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<String>> all = new ArrayList<>();
        for (String first : items) {
            List<String> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<String> tail : permutations(rest)) {
                List<String> p = new ArrayList<>();
                p.add(first);
                p.addAll(tail);
                all.add(p);
            }
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("concurrentOverlaps")
    void concurrentOverlappingOpsLinearizeInAnyCompletionOrder(String template) {
        assertThat(check(template.replace("V", "1")).valid()).isTrue();
        assertThat(check(template.replace("V", "2")).valid()).isTrue();
        assertThat(check(template.replace("V", "nil")).valid()).isTrue();
        assertThat(check(template.replace("V", "3")).valid()).isFalse();
    }

    @Test
    void concurrentReadsMayDisagreeOnlyIfAWriteOverlapsThem() {
        String overlapping = """
                1 p0 invoke write x 1
                2 p0 ok write x 1
                3 p1 invoke write x 2
                4 p2 invoke read x nil
                5 p2 ok read x 2
                6 p3 invoke read x nil
                7 p3 ok read x 1
                8 p1 ok write x 2
                """;
        // p3 reads 1 after p2 read 2, and only one write of 2 exists: not linearizable.
        assertThat(check(overlapping).valid()).isFalse();
        String swapped = overlapping.replace("5 p2 ok read x 2", "5 p2 ok read x 1").replace("7 p3 ok read x 1", "7 p3 ok read x 2");
        assertThat(check(swapped).valid()).isTrue();
    }
}
