package dev.spectra.queryworker.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * Who owns a job ({@code spectra.leases.*}). A worker holds a lease on every job it works on and renews it
 * every third of {@code duration}; when a worker dies or freezes, its leases lapse and any worker's sweeper
 * takes the jobs over within about {@code duration + sweep-interval}.
 *
 * @param duration      how long a lease lasts unless renewed, default 15s: the longest a dead worker's job waits
 * @param sweepInterval how often each worker looks for lapsed leases, default 3s
 * @param deliveryGrace how long a DELIVERING job is left to the delivery workers before its statement is
 *                      announced again, default 30s: also how long a job waits when its worker died between
 *                      storing DELIVERING and announcing it. A delivery slower than this is announced again;
 *                      the delivery worker then writes its outcome on top of the re-leased job
 * @param workerId      this worker's name in leases; default: host, process id and a random suffix, unique per start
 */
@Validated
@ConfigurationProperties("spectra.leases")
public record LeasesProperties(
        @DefaultValue("15s") Duration duration,
        @DefaultValue("3s") Duration sweepInterval,
        @DefaultValue("30s") Duration deliveryGrace,
        String workerId) {

    public LeasesProperties {
        requireNonNull(duration, "duration is null");
        requireNonNull(sweepInterval, "sweepInterval is null");
        requireNonNull(deliveryGrace, "deliveryGrace is null");
        if (duration.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("spectra.leases.duration must be at least 3s: " + duration);
        }
        if (!sweepInterval.isPositive() || !deliveryGrace.isPositive()) {
            throw new IllegalArgumentException("spectra.leases.sweep-interval and delivery-grace must be positive");
        }
        workerId = workerId == null || workerId.isBlank() ? generatedWorkerId() : workerId;
    }

    /** A third of the lease: two renewals may fail before it lapses. */
    public Duration renewEvery() {
        return duration.dividedBy(3);
    }

    private static String generatedWorkerId() {
        byte[] suffix = new byte[3];
        new SecureRandom().nextBytes(suffix);
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + HexFormat.of().formatHex(suffix);
    }
}
