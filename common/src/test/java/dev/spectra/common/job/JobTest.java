package dev.spectra.common.job;

import dev.spectra.common.error.ErrorCode;

import org.junit.jupiter.api.Test;

import static dev.spectra.common.job.JobFixtures.GLOBEX;
import static dev.spectra.common.job.JobFixtures.NOW;
import static dev.spectra.common.job.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobTest {

    @Test
    void newJobIsQueuedAtVersionOneAndExpiresAfterRetention() {
        Job job = aQueuedJob().forTenant(GLOBEX).build();

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.version()).isEqualTo(1);
        assertThat(job.databaseUser()).isEqualTo("globex_user");
        assertThat(job.expiresAt()).isEqualTo(NOW.plusSeconds(7 * 24 * 3600));
    }

    @Test
    void timestampsAreKeptToTheMillisecondWhoeverWritesThem() {
        Job job = aQueuedJob().build().transitionTo(JobStatus.RUNNING, NOW.plusNanos(1_234_567));

        assertThat(job.updatedAt()).isEqualTo(NOW.plusMillis(1));
        assertThat(JobTable.fromItem(JobTable.toItem(job))).isEqualTo(job);
    }

    @Test
    void refusedTransitionNamesBothStates() {
        Job succeeded = aQueuedJob().in(JobStatus.SUCCEEDED);

        assertThatThrownBy(() -> succeeded.transitionTo(JobStatus.RUNNING, NOW))
                .isInstanceOf(IllegalJobTransitionException.class)
                .hasMessageContaining("SUCCEEDED")
                .hasMessageContaining("RUNNING");
    }

    @Test
    void endingRecordsTheReason() {
        JobError reason = new JobError("QUERY_FAILED", "relation \"nope\" does not exist", false);

        Job failed = aQueuedJob().in(JobStatus.RUNNING).endWith(JobStatus.FAILED, reason, NOW.plusSeconds(3));

        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo(reason);
        assertThat(failed.updatedAt()).isEqualTo(NOW.plusSeconds(3));
    }

    @Test
    void successIsNotAnEnding() {
        Job running = aQueuedJob().in(JobStatus.RUNNING);

        assertThatThrownBy(() -> running.endWith(JobStatus.SUCCEEDED, new JobError("X", "y", false), NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void succeededJobCarriesRowsAndResult() {
        Job done = aQueuedJob().in(JobStatus.DELIVERING).succeeded(42, "{\"row_count\":42}", NOW);

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.rowCount()).isEqualTo(42);
        assertThat(done.resultJson()).isEqualTo("{\"row_count\":42}");
    }

    @Test
    void cannotSucceedWithoutDelivering() {
        Job running = aQueuedJob().in(JobStatus.RUNNING);

        assertThatThrownBy(() -> running.succeeded(1, "{}", NOW)).isInstanceOf(IllegalJobTransitionException.class);
    }
    @Test
    void aNewJobHasAnUnownedLeaseThatIsItsDeadlineForAFirstClaim() {
        Job job = aQueuedJob().build();

        assertThat(job.lease().owner()).isNull();
        assertThat(job.lease().expiresAt()).isEqualTo(job.submittedAt().plus(Job.FIRST_CLAIM_WITHIN));
        assertThat(job.isLeasedBy("worker-1", job.submittedAt())).isFalse();
    }

    @Test
    void aLeaseIsHeldByItsOwnerUntilItExpires() {
        Job claimed = aQueuedJob().build().leasedTo("worker-1", NOW.plusSeconds(10));

        assertThat(claimed.isLeasedBy("worker-1", NOW.plusSeconds(9))).isTrue();
        assertThat(claimed.isLeasedBy("worker-1", NOW.plusSeconds(10))).isFalse();
        assertThat(claimed.isLeasedBy("worker-2", NOW)).isFalse();
        assertThat(claimed.transitionTo(JobStatus.RUNNING, NOW).lease()).isEqualTo(claimed.lease());
    }

    @Test
    void anEndedJobHasNoLeaseAndCannotBeLeased() {
        Job ended = aQueuedJob().build().leasedTo("worker-1", NOW.plusSeconds(10))
                .endWith(JobStatus.CANCELLED, JobError.of(ErrorCode.QUERY_CANCELLED, "cancelled"), NOW);

        assertThat(ended.lease()).isNull();
        assertThatThrownBy(() -> ended.leasedTo("worker-2", NOW.plusSeconds(10))).isInstanceOf(IllegalStateException.class);
    }
}
