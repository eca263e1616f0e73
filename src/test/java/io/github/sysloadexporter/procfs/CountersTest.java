package io.github.sysloadexporter.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CountersTest {
    @Test
    void forward() {
        assertEquals(7, Counters.delta(10, 17));
    }

    @Test
    void wrapsAt32Bits() {
        assertEquals(15, Counters.delta(4_294_967_286L, 5)); // 2^32-10 -> 5
    }

    @Test
    void wrapsAt64Bits() {
        assertEquals(15, Counters.delta(-10L, 5)); // 2^64-10 -> 5
    }

    @Test
    void aResetIsZeroNotHuge() {
        assertEquals(0, Counters.delta(1_000_000, 10));
        assertEquals(0, Counters.delta(9_000_000_000L, 10));
    }

    @Test
    void unsignedValuesAboveSignedRange() {
        // 2^63 + 5 -> 2^63 + 9: both look negative as Java longs.
        assertEquals(4, Counters.delta(Long.MIN_VALUE + 5, Long.MIN_VALUE + 9));
    }
}
