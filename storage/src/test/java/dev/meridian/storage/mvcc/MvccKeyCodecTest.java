package dev.meridian.storage.mvcc;

import dev.meridian.storage.CorruptionException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MvccKeyCodecTest {

    @Property(tries = 500)
    void entriesOfSmallerUserKeysSortFirst(@ForAll @Size(max = 6) byte[] a, @ForAll @Size(max = 6) byte[] b,
                                           @ForAll @LongRange(max = Long.MAX_VALUE) long wa,
                                           @ForAll @LongRange(max = Long.MAX_VALUE) long wb) {
        int user = Integer.signum(Arrays.compareUnsigned(a, b));
        if (user == 0) {
            return;
        }
        byte[][] entriesOfA = {MvccKeyCodec.lockKey(a), MvccKeyCodec.versionKey(a, Timestamp.ofWall(wa))};
        byte[][] entriesOfB = {MvccKeyCodec.lockKey(b), MvccKeyCodec.versionKey(b, Timestamp.ofWall(wb))};
        for (byte[] x : entriesOfA) {
            for (byte[] y : entriesOfB) {
                assertThat(Integer.signum(Arrays.compareUnsigned(x, y))).isEqualTo(user);
            }
        }
    }

    @Property(tries = 500)
    void versionsSortNewestFirstAfterTheLockRecord(@ForAll @Size(max = 6) byte[] key,
                                                   @ForAll @LongRange(max = Long.MAX_VALUE) long w1,
                                                   @ForAll @IntRange(max = Integer.MAX_VALUE) int l1,
                                                   @ForAll @LongRange(max = Long.MAX_VALUE) long w2,
                                                   @ForAll @IntRange(max = Integer.MAX_VALUE) int l2) {
        Timestamp t1 = new Timestamp(w1, l1);
        Timestamp t2 = new Timestamp(w2, l2);
        byte[] k1 = MvccKeyCodec.versionKey(key, t1);
        byte[] k2 = MvccKeyCodec.versionKey(key, t2);
        assertThat(Integer.signum(Arrays.compareUnsigned(k1, k2))).isEqualTo(-Integer.signum(t1.compareTo(t2)));
        assertThat(Arrays.compareUnsigned(MvccKeyCodec.lockKey(key), k1)).isNegative();
        assertThat(Arrays.compareUnsigned(k1, MvccKeyCodec.keyEnd(key))).isNegative();
        MvccKeyCodec.Decoded d = MvccKeyCodec.decode(k1);
        assertThat(d.userKey()).isEqualTo(key);
        assertThat(d.timestamp()).isEqualTo(t1);
        assertThat(MvccKeyCodec.decode(MvccKeyCodec.lockKey(key)).isLock()).isTrue();
    }

    @Test
    void malformedKeysAreCorruption() {
        assertThatThrownBy(() -> MvccKeyCodec.decode(new byte[] {'a'})).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("no terminator");
        assertThatThrownBy(() -> MvccKeyCodec.decode(new byte[] {'a', 0, 7})).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("bad escape");
        assertThatThrownBy(() -> MvccKeyCodec.decode(new byte[] {'a', 0, 1, 5})).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("suffix of 1 bytes");
    }
}
