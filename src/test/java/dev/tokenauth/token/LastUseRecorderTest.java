package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class LastUseRecorderTest {

    private static final Instant T0 = Instant.parse("2026-12-04T02:00:00.123Z");

    @Test
    void aUseIsKeptToTheMillisecondAsTheStoreKeepsIt() {
        LastUseRecorder recorder = new LastUseRecorder(5);

        recorder.record(1, T0.plusNanos(456_789), "192.0.2.1");

        assertEquals(T0, recorder.pending(1).orElseThrow());
        assertEquals(List.of(new TokenInfo.UsedFrom("192.0.2.1", T0)), recorder.pendingAddresses(1));
    }

    @Test
    void furtherUsesWithinTheSameMillisecondFromAKnownAddressChangeNothing() {
        LastUseRecorder recorder = new LastUseRecorder(5);
        recorder.record(1, T0, "192.0.2.1");
        LastUseRecorder.Use first = recorder.pendingUses().get(1L);

        recorder.record(1, T0.plusNanos(999_999), "192.0.2.1");

        assertSame(first, recorder.pendingUses().get(1L), "the same use, not a new one made under the map's lock");
    }

    @Test
    void aUseInTheNextMillisecondOrFromANewAddressIsRecorded() {
        LastUseRecorder recorder = new LastUseRecorder(5);
        recorder.record(1, T0, "192.0.2.1");
        LastUseRecorder.Use first = recorder.pendingUses().get(1L);

        recorder.record(1, T0.plusNanos(400_000), "192.0.2.2");
        LastUseRecorder.Use second = recorder.pendingUses().get(1L);
        recorder.record(1, T0.plusMillis(1), "192.0.2.1");

        assertNotSame(first, second);
        assertEquals(List.of(new TokenInfo.UsedFrom("192.0.2.1", T0.plusMillis(1)),
                new TokenInfo.UsedFrom("192.0.2.2", T0)), recorder.pendingAddresses(1));
        assertEquals(T0.plusMillis(1), recorder.pending(1).orElseThrow());
    }

    @Test
    void withoutAddressesOnlyALaterMillisecondChangesTheUse() {
        LastUseRecorder recorder = new LastUseRecorder();
        recorder.record(1, T0, "192.0.2.1");
        LastUseRecorder.Use first = recorder.pendingUses().get(1L);

        recorder.record(1, T0.plusNanos(999_000), "192.0.2.9");
        assertSame(first, recorder.pendingUses().get(1L));

        recorder.record(1, T0.plusMillis(2), "192.0.2.9");
        assertEquals(T0.plusMillis(2), recorder.pending(1).orElseThrow());
        assertEquals(List.of(), recorder.pendingAddresses(1));
    }
}
