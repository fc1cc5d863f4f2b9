package dev.spectra.local.dataapi;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How long a fault stays armed: for a number of firings, for a while after it is armed, or until it is
 * cleared.
 *
 * @param times    firings before it disarms, or null for no bound
 * @param duration time after arming before it disarms, or null for no bound
 */
public record FaultLimit(Integer times, Duration duration) {

    public FaultLimit {
        if (times != null && times < 1) {
            throw new IllegalArgumentException("times must be positive, was " + times);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive, was " + duration);
        }
    }

    public static FaultLimit times(int times) {
        return new FaultLimit(times, null);
    }

    public static FaultLimit during(Duration duration) {
        return new FaultLimit(null, requireNonNull(duration, "duration is null"));
    }

    public static FaultLimit untilCleared() {
        return new FaultLimit(null, null);
    }
}
