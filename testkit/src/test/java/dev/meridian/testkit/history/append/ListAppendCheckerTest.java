package dev.meridian.testkit.history.append;

import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.HistoryFormat;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Handcrafted histories under src/test/resources/history: one per anomaly, and valid ones. */
class ListAppendCheckerTest {

    static final Path BAD = Path.of("src/test/resources/history/append");
    static final Path GOOD = Path.of("src/test/resources/history/append-valid");

    private static History load(Path file) {
        try {
            return HistoryFormat.read(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ListAppendResult check(String name, ConsistencyModel model) {
        return ListAppendChecker.check(load(BAD.resolve(name + ".txt")), model);
    }

    /** Each file named after an anomaly reports exactly that anomaly and is invalid under every model. */
    @ParameterizedTest
    @CsvSource({
            "G0, G0",
            "G1c, G1c",
            "G-single, G-single",
            "G2-item, G2-item",
            "G-nonadjacent, G-nonadjacent",
            "G1a, G1a",
            "G1b, G1b",
            "internal, internal",
            "duplicates, duplicates",
            "incompatible-order, incompatible-order",
            "garbage-read, garbage-read",
    })
    void eachAnomalyIsReportedAlone(String file, String anomaly) {
        for (ConsistencyModel model : ConsistencyModel.values()) {
            ListAppendResult r = check(file, model);
            assertThat(r.names()).as(r.report()).containsExactly(anomaly);
            assertThat(r.valid()).as(r.report()).isFalse();
        }
    }

    @Test
    void dirtyUpdateComesWithTheAbortedReadThatRevealsIt() {
        ListAppendResult r = check("dirty-update", ConsistencyModel.SERIALIZABLE);
        assertThat(r.names()).as(r.report()).containsExactly("G1a", "dirty-update");
        assertThat(r.valid()).isFalse();
    }

    @Test
    void causalReverseIsSerializableButNotStrictSerializable() {
        ListAppendResult serializable = check("G-single-realtime", ConsistencyModel.SERIALIZABLE);
        assertThat(serializable.names()).containsExactly("G-single-realtime");
        assertThat(serializable.valid()).as(serializable.report()).isTrue();
        assertThat(serializable.forbidden()).isEmpty();

        ListAppendResult strict = check("G-single-realtime", ConsistencyModel.STRICT_SERIALIZABLE);
        assertThat(strict.names()).containsExactly("G-single-realtime");
        assertThat(strict.valid()).isFalse();
        Anomaly a = strict.forbidden().get(0);
        assertThat(a.cycle()).extracting(Dependency::type)
                .containsExactly(DependencyType.RW, DependencyType.REALTIME, DependencyType.WR);
        assertThat(a.transactions()).extracting(Transaction::name).containsExactly("T0", "T1", "T2");
    }

    /** Cycles that need realtime edges: allowed by serializability, forbidden by strict serializability. */
    @ParameterizedTest
    @CsvSource({"G0-realtime", "G1c-realtime", "G-single-realtime"})
    void realtimeCyclesAreForbiddenOnlyUnderStrictSerializability(String anomaly) {
        ListAppendResult serializable = check(anomaly, ConsistencyModel.SERIALIZABLE);
        assertThat(serializable.names()).as(serializable.report()).containsExactly(anomaly);
        assertThat(serializable.valid()).isTrue();
        ListAppendResult strict = check(anomaly, ConsistencyModel.STRICT_SERIALIZABLE);
        assertThat(strict.names()).containsExactly(anomaly);
        assertThat(strict.valid()).isFalse();
    }

    @Test
    void sessionStaleReadIsAProcessAnomaly() {
        assertThat(check("G-single-process", ConsistencyModel.SERIALIZABLE).valid()).isTrue();
        ListAppendResult session = check("G-single-process", ConsistencyModel.STRONG_SESSION_SERIALIZABLE);
        assertThat(session.valid()).isFalse();
        assertThat(session.forbidden()).extracting(x -> x.type().label()).containsExactly("G-single-process");
        assertThat(check("G-single-process", ConsistencyModel.STRICT_SERIALIZABLE).names())
                .containsExactly("G-single-realtime");
    }

    @Test
    void reportNamesTransactionsKeysValuesAndTheCycle() {
        ListAppendResult r = check("G-single", ConsistencyModel.SERIALIZABLE);
        assertThat(r.report()).isEqualTo("""
                list-append (serializable): INVALID, 3 transactions, 1 forbidden anomalies, 0 allowed
                  forbidden G-single: cycle T0 -rw-> T1 -wr-> T0
                    T0 (p0 ok @0..3: read x []; read y [1])
                    T1 (p1 ok @1..2: append x 1; append y 1)
                    T0 -rw-> T1 (rw on x: read [], next element 1 appended by T1)
                    T1 -wr-> T0 (wr on y: read [1], last element appended by T1)
                """);
    }

    @Test
    void nonCycleAnomaliesExplainThemselves() {
        assertThat(check("G1b", ConsistencyModel.SERIALIZABLE).anomalies().get(0).explanation())
                .isEqualTo("read of x returned [1] ending with 1, which T0 followed with another append to x");
        assertThat(check("internal", ConsistencyModel.SERIALIZABLE).anomalies().get(0).explanation())
                .isEqualTo("read of x returned [] which does not end with the transaction's own appends [1]");
        assertThat(check("incompatible-order", ConsistencyModel.SERIALIZABLE).anomalies().get(0).explanation())
                .isEqualTo("reads of x disagree: [1,2] is not a prefix of [2,1]");
    }

    @Test
    void internalCatchesTwoReadsOfOneKeyThatDisagree() {
        ListAppendResult r = ListAppendChecker.check(HistoryFormat.parse("""
                1 p0 invoke txn append x 1
                2 p0 ok txn append x 1
                3 p1 invoke txn read x nil; read x nil
                4 p0 invoke txn append x 2
                5 p0 ok txn append x 2
                6 p1 ok txn read x [1]; read x [1,2]
                """), ConsistencyModel.SERIALIZABLE);
        assertThat(r.names()).containsExactly("internal");
        assertThat(r.anomalies().get(0).explanation())
                .isEqualTo("read of x returned [1,2] but the transaction's own reads and appends imply [1]");
    }

    @Test
    void longListsAreAbbreviatedInReports() {
        assertThat(ReadAnalysis.brief(List.of(1L, 2L, 3L))).isEqualTo("[1,2,3]");
        List<Long> longList = java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList();
        assertThat(ReadAnalysis.brief(longList)).isEqualTo("[1,2,3,4,...,17,18,19,20] (20 elements)");
    }

    @Test
    void reportPrintsAFewAnomaliesOfEachTypeAndCountsTheRest() {
        StringBuilder sb = new StringBuilder("1 p0 invoke txn append x 1\n2 p0 fail txn append x 1\n");
        for (int p = 1; p <= 7; p++) {
            sb.append(10 * p).append(" p").append(p).append(" invoke txn read x nil\n");
            sb.append(10 * p + 1).append(" p").append(p).append(" ok txn read x [1]\n");
        }
        ListAppendResult r = ListAppendChecker.check(HistoryFormat.parse(sb.toString()), ConsistencyModel.SERIALIZABLE);
        assertThat(r.anomalies()).hasSize(7);
        assertThat(r.report()).contains("... and 2 more G1a\n");
        assertThat(r.report().lines().filter(l -> l.startsWith("  forbidden G1a")).count()).isEqualTo(5);
    }

    @TestFactory
    Stream<DynamicTest> validHistoriesAreValidUnderEveryModel() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(GOOD)) {
            files = s.sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            for (ConsistencyModel model : ConsistencyModel.values()) {
                ListAppendResult r = ListAppendChecker.check(load(f), model);
                assertThat(r.anomalies()).as(r.report()).isEmpty();
                assertThat(r.valid()).isTrue();
            }
        }));
    }

    @Test
    void aValueAppendedTwiceIsRejectedAsBadInput() {
        assertThatThrownBy(() -> ListAppendChecker.check(HistoryFormat.parse("""
                1 p0 invoke txn append x 1
                2 p0 ok txn append x 1
                3 p0 invoke txn append x 1
                4 p0 ok txn append x 1
                """), ConsistencyModel.SERIALIZABLE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value 1 appended to key x twice");
    }
}
