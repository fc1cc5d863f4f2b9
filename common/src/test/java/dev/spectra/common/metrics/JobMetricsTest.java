package dev.spectra.common.metrics;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobStatus;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;

import static dev.spectra.common.job.JobFixtures.ACME;
import static dev.spectra.common.job.JobFixtures.GLOBEX;
import static dev.spectra.common.job.JobFixtures.NOW;
import static dev.spectra.common.job.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final JobMetrics metrics = new JobMetrics(meters);

    @Test
    void countsAnEndedJobByTenantStatusAndCodeAndTimesItFromItsAcceptance() {
        Job failed = aQueuedJob().forTenant(GLOBEX).build()
                .endWith(JobStatus.FAILED, JobError.of(ErrorCode.QUERY_FAILED, "division by zero"), NOW.plusSeconds(3));

        metrics.ended(failed);

        assertThat(meters.get("spectra.jobs.ended").tags("tenant", "globex", "status", "FAILED", "code", "QUERY_FAILED")
                .counter().count()).isEqualTo(1);
        Timer endToEnd = meters.get("spectra.jobs.end_to_end").tags("tenant", "globex", "status", "FAILED").timer();
        assertThat(endToEnd.totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void aSucceededJobCarriesTheCodeNone() {
        metrics.ended(aQueuedJob().in(JobStatus.SUCCEEDED));

        assertThat(meters.get("spectra.jobs.ended").tags("tenant", "acme", "status", "SUCCEEDED", "code", JobMetrics.NO_ERROR)
                .counter().count()).isEqualTo(1);
    }

    @Test
    void refusesAJobThatHasNotEnded() {
        assertThatThrownBy(() -> metrics.ended(aQueuedJob().in(JobStatus.DELIVERING))).hasMessageContaining("has not ended");
    }

    @Test
    void stageHistogramsHaveExactlyTheLatencyObjectivesAsBuckets() {
        Job queued = aQueuedJob().forTenant(ACME).build();

        metrics.claimed(queued, NOW.plusMillis(700));

        Timer queueWait = meters.get("spectra.jobs.queue_wait").tag("tenant", "acme").timer();
        CountAtBucket[] buckets = queueWait.takeSnapshot().histogramCounts();
        assertThat(Arrays.stream(buckets).map(bucket -> Duration.ofNanos((long) bucket.bucket())))
                .containsExactlyElementsOf(JobMetrics.LATENCY_OBJECTIVES);
        // 700 ms: not in the 500 ms bucket, in the 1 s one.
        assertThat(buckets[2].count()).isZero();
        assertThat(buckets[3].count()).isEqualTo(1);
    }

    @Test
    void theDeliveryStageRunsFromTheDeliveringWriteToTheStoredOutcome() {
        Job delivering = aQueuedJob().in(JobStatus.RUNNING).transitionTo(JobStatus.DELIVERING, NOW.plusSeconds(10));
        Job succeeded = delivering.succeeded(4, "{}", NOW.plusSeconds(12));

        metrics.deliveryEnded(delivering, succeeded);

        assertThat(meters.get("spectra.jobs.delivery").tags("tenant", "acme", "status", "SUCCEEDED").timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(2000);
    }

    @Test
    void aRunIsTaggedWithTheStateThatFollowsAndANegativeIntervalCountsAsZero() {
        Job running = aQueuedJob().in(JobStatus.RUNNING);

        metrics.statementEnded(running, Duration.ofSeconds(2), JobStatus.DELIVERING);
        metrics.claimed(running, NOW.minusSeconds(5));

        assertThat(meters.get("spectra.jobs.run").tags("tenant", "acme", "status", "DELIVERING").timer().count()).isEqualTo(1);
        Timer queueWait = meters.get("spectra.jobs.queue_wait").timer();
        assertThat(queueWait.count()).isEqualTo(1);
        assertThat(queueWait.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isZero();
    }
}
