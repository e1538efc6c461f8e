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

    @Test
    void noUseIsLostWhileTheWriterTakesUsesAwayConcurrently() throws Exception {
        LastUseRecorder recorder = new LastUseRecorder(5);
        int threads = 4;
        int usesEach = 20_000;
        java.util.concurrent.atomic.AtomicLong latestWritten = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            while (!done.get()) {
                java.util.Map<Long, LastUseRecorder.Use> batch = recorder.pendingUses();
                LastUseRecorder.Use use = batch.get(1L);
                if (use != null) {
                    latestWritten.accumulateAndGet(use.last().toEpochMilli(), Math::max);
                }
                recorder.written(batch);
            }
        });
        writer.start();
        java.util.List<Thread> users = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread user = new Thread(() -> {
                for (int i = 0; i < usesEach; i++) {
                    recorder.record(1, T0.plusMillis((long) i * threads + offset), "192.0.2." + offset);
                }
            });
            users.add(user);
            user.start();
        }
        for (Thread user : users) {
            user.join();
        }
        done.set(true);
        writer.join();

        long latest = Math.max(latestWritten.get(), recorder.pending(1).map(Instant::toEpochMilli).orElse(0L));
        assertEquals(T0.plusMillis((long) usesEach * threads - 1).toEpochMilli(), latest,
                "the latest use is either written or still pending");
    }
}
