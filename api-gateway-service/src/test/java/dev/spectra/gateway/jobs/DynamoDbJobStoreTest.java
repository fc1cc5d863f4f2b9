package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.gateway.aws.FakeDynamoDb;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.time.Instant;

import static dev.spectra.gateway.support.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

class DynamoDbJobStoreTest {

    private static final String TABLE = "spectra-jobs";
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    private final FakeDynamoDb dynamoDb = new FakeDynamoDb().withTable(TABLE, "tenant_id", "job_id");
    private final DynamoDbJobStore store = new DynamoDbJobStore(dynamoDb, TABLE);

    @Test
    void findsAnInsertedJobByItsTenantAndId() {
        Job job = aQueuedJob().forTenant(ACME).queued();

        StepVerifier.create(store.insert(job)).verifyComplete();

        StepVerifier.create(store.find(ACME, job.jobId())).expectNext(job).verifyComplete();
    }

    @Test
    void doesNotFindAJobUnderAnotherTenant() {
        Job job = aQueuedJob().forTenant(ACME).queued();
        store.insert(job).block();

        StepVerifier.create(store.find(GLOBEX, job.jobId())).verifyComplete();
    }

    @Test
    void refusesToInsertAJobTwice() {
        Job job = aQueuedJob().forTenant(ACME).queued();
        store.insert(job).block();

        StepVerifier.create(store.insert(job)).expectError().verify();
    }

    @Test
    void replacesAJobAtTheExpectedVersion() {
        Job job = aQueuedJob().forTenant(ACME).queued();
        store.insert(job).block();
        Job running = job.transitionTo(JobStatus.RUNNING, Instant.parse("2026-03-01T10:00:05Z"));

        StepVerifier.create(store.replace(job, running))
                .assertNext(written -> assertThat(written.version()).isEqualTo(2))
                .verifyComplete();
        assertThat(JobTable.fromItem(dynamoDb.item(TABLE, JobTable.key(ACME, job.jobId()))).status())
                .isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void yieldsNothingWhenAnotherWriterChangedTheJobFirst() {
        Job job = aQueuedJob().forTenant(ACME).queued();
        store.insert(job).block();
        store.replace(job, job.transitionTo(JobStatus.RUNNING, Instant.parse("2026-03-01T10:00:05Z"))).block();

        StepVerifier.create(store.replace(job, job.transitionTo(JobStatus.CANCELLED, Instant.parse("2026-03-01T10:00:06Z"))))
                .verifyComplete();
    }

    @Test
    void passesOnStoreFailures() {
        dynamoDb.failWith(SdkClientException.create("unreachable"));

        StepVerifier.create(store.find(ACME, aQueuedJob().queued().jobId())).expectError(SdkClientException.class).verify();
    }
}
