package dev.tokenauth.throttle;

import java.time.Duration;

import io.github.bucket4j.TimeMeter;

/** A clock the test moves by hand, for the buckets and their caches. */
final class ManualTime implements TimeMeter {
    long nanos = 1_000_000_000L;

    void advance(Duration d) {
        nanos += d.toNanos();
    }

    @Override
    public long currentTimeNanos() {
        return nanos;
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }
}
