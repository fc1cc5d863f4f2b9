package dev.spectra.common.metrics;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A job's stages, measured alike by whichever service sees each of them, so that one name means one thing in
 * every service's scrape:
 * <ul>
 *   <li>{@code spectra.jobs.queue_wait{tenant}}: from its acceptance to its first claim by a query worker;</li>
 *   <li>{@code spectra.jobs.run{tenant,status}}: from that claim to the statement's end, {@code status} being the
 *       job's next state ({@code DELIVERING} for a finished statement, else how it ended);</li>
 *   <li>{@code spectra.jobs.delivery{tenant,status}}: from DELIVERING to the outcome the delivery worker stored;</li>
 *   <li>{@code spectra.jobs.end_to_end{tenant,status}}: from its acceptance to its end, recorded with
 *       {@code spectra.jobs.ended{tenant,status,code}} by the service that stored the end: the gateway for a cancel
 *       (or a job it could not queue), the query worker, the delivery worker.</li>
 * </ul>
 * The stage timers are histograms with the buckets of {@link #LATENCY_OBJECTIVES}, so that any percentile and any
 * objective can be read from them across a fleet. {@code tenant} is the job's tenant, which the gateway checked
 * against the tenant registry before the job existed: the registry bounds it, never a request.
 *
 * <p>The intervals are read from the job's own timestamps where another service wrote them (acceptance, the DELIVERING
 * write), so hosts' clocks should agree (NTP); an interval that comes out negative is recorded as zero.
 */
public final class JobMetrics {

    /** The buckets of every job stage histogram, from a trivial query to the longest timeout. */
    public static final List<Duration> LATENCY_OBJECTIVES = List.of(
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofSeconds(900));

    /** The {@code code} of a job that ended without an error (SUCCEEDED). */
    public static final String NO_ERROR = "none";

    private static final Duration[] OBJECTIVES = LATENCY_OBJECTIVES.toArray(Duration[]::new);

    private final MeterRegistry meters;

    public JobMetrics(MeterRegistry meters) {
        this.meters = requireNonNull(meters, "meters is null");
    }

    /** A query worker claimed the QUEUED job for the first time at {@code claimedAt}. */
    public void claimed(Job job, Instant claimedAt) {
        stage("spectra.jobs.queue_wait", "Time jobs waited from their acceptance to their first claim by a query worker", job)
                .record(between(job.submittedAt(), claimedAt));
    }

    /** The job's statement ended {@code ran} after the claim; {@code next} is the job's state that follows. */
    public void statementEnded(Job job, Duration ran, JobStatus next) {
        stage("spectra.jobs.run", "Time from a job's first claim to its statement's end", job, "status", next.name())
                .record(ran.isNegative() ? Duration.ZERO : ran);
    }

    /** The delivery worker stored {@code ended}, the outcome of {@code delivering} (the job as it was DELIVERING). */
    public void deliveryEnded(Job delivering, Job ended) {
        stage("spectra.jobs.delivery", "Time from a job's DELIVERING state to the outcome its delivery stored", ended,
                "status", ended.status().name())
                .record(between(delivering.updatedAt(), ended.updatedAt()));
    }

    /** The job's end was stored by this service. */
    public void ended(Job ended) {
        if (!ended.status().isTerminal()) {
            throw new IllegalArgumentException("job " + ended.jobId() + " has not ended: " + ended.status());
        }
        Counter.builder("spectra.jobs.ended")
                .description("Jobs ended, by final state and error code, counted by the service that stored the end")
                .tags("tenant", ended.tenantId().value(), "status", ended.status().name(),
                        "code", ended.error() == null ? NO_ERROR : ended.error().code())
                .register(meters)
                .increment();
        stage("spectra.jobs.end_to_end", "Time from a job's acceptance to its end", ended, "status", ended.status().name())
                .record(between(ended.submittedAt(), ended.updatedAt()));
    }

    private Timer stage(String name, String description, Job job, String... tags) {
        return Timer.builder(name)
                .description(description)
                .tag("tenant", job.tenantId().value())
                .tags(tags)
                .serviceLevelObjectives(OBJECTIVES)
                .register(meters);
    }

    private static Duration between(Instant from, Instant to) {
        Duration interval = Duration.between(from, to);
        return interval.isNegative() ? Duration.ZERO : interval;
    }
}
