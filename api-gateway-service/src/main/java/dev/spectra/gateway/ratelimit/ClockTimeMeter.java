package dev.spectra.gateway.ratelimit;

import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** Bucket4j time read from the application's {@link Clock}, so that refills follow the same "now" as everything else. */
final class ClockTimeMeter implements TimeMeter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Clock clock;

    ClockTimeMeter(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), NANOS_PER_SECOND), now.getNano());
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
