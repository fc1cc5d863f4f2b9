package dev.spectra.common.job;

import dev.spectra.common.statement.JobOptions;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultSummary;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.spectra.common.job.JobFixtures.ACME;
import static dev.spectra.common.job.JobFixtures.GLOBEX;
import static dev.spectra.common.job.JobFixtures.NOW;
import static dev.spectra.common.job.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobTableTest {

    @Test
    void itemRoundTripsEveryField() {
        Job job = aQueuedJob().in(JobStatus.RUNNING)
                .withStatementId("d9b6c0c3-statement", NOW)
                .transitionTo(JobStatus.DELIVERING, NOW)
                .succeeded(7, "{\"rows\":[]}", NOW.plusSeconds(1));

        assertThat(JobTable.fromItem(JobTable.toItem(job))).isEqualTo(job);
    }

    @Test
    void theTenantsConcurrencyRoundTripsAndIsAbsentForTheDefault() {
        Job limited = Job.queued(ACME, JobId.random(), "SELECT 1", "acme_user", 2, NOW, java.time.Duration.ofDays(7));

        assertThat(JobTable.fromItem(JobTable.toItem(limited)).maxConcurrentQueries()).isEqualTo(2);
        assertThat(JobTable.toItem(aQueuedJob().build())).doesNotContainKey("max_concurrent_queries");
        assertThat(JobTable.fromItem(JobTable.toItem(aQueuedJob().build())).maxConcurrentQueries()).isNull();
    }

    @Test
    void theClientsNameTagsTimeoutAndParametersRoundTripNullValuesIncluded() {
        JobOptions options = new JobOptions("daily revenue", java.util.Map.of("team", "finance", "env", "prod"),
                Duration.ofSeconds(90), java.util.List.of(
                        new dev.spectra.common.statement.QueryParameter("region", dev.spectra.common.statement.ParameterType.STRING, "EU"),
                        new dev.spectra.common.statement.QueryParameter("since", dev.spectra.common.statement.ParameterType.DATE, null)));
        Job job = Job.queued(ACME, JobId.random(), "SELECT 1", "acme_user", null, DeliveryOptions.DEFAULT, options, null, NOW,
                Duration.ofDays(7));

        Job read = JobTable.fromItem(JobTable.toItem(job));

        assertThat(read).isEqualTo(job);
        assertThat(read.options().parameters().get(1).value()).isNull();
        assertThat(read.deadline(Duration.ofMinutes(15))).isEqualTo(NOW.plusSeconds(90));
        assertThat(JobTable.fromItem(JobTable.toItem(aQueuedJob().build())).options()).isEqualTo(JobOptions.NONE);
    }

    @Test
    void deliveryOptionsTheTenantsResultLimitAndAnExportedResultRoundTrip() {
        DeliveryOptions options = new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.GZIP, 1000L, 5_000_000L);
        ResultSummary exported = new ResultSummary(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.GZIP, 1000, 81_234,
                true, 3, new ResultLocation("spectra-results", "tenant=acme/job=x/d1/manifest.json"));
        Job job = Job.queued(ACME, JobId.random(), "SELECT 1", "acme_user", null, options, JobOptions.NONE, 10_000_000L, NOW, Duration.ofDays(7))
                .transitionTo(JobStatus.RUNNING, NOW).transitionTo(JobStatus.DELIVERING, NOW)
                .succeeded(exported, null, NOW.plusSeconds(2));

        Job read = JobTable.fromItem(JobTable.toItem(job));

        assertThat(read).isEqualTo(job);
        assertThat(read.delivery()).isEqualTo(options);
        assertThat(read.maxResultBytes()).isEqualTo(10_000_000L);
        assertThat(read.result()).isEqualTo(exported);
    }

    @Test
    void aJobWrittenBeforeDeliveryOptionsReadsWithTheDefaultsAndItsDocumentAsAnInlineResult() {
        Job job = aQueuedJob().in(JobStatus.DELIVERING).succeeded(2, "{\"rows\":[[1],[2]]}", NOW);
        Map<String, AttributeValue> item = new HashMap<>(JobTable.toItem(job));
        item.remove("delivery");
        item.remove("result_summary");

        Job read = JobTable.fromItem(item);

        assertThat(read.delivery()).isEqualTo(DeliveryOptions.DEFAULT);
        assertThat(read.result()).isEqualTo(ResultSummary.onItem(2, 18, false));
    }

    @Test
    void failedJobRoundTripsItsError() {
        Job job = aQueuedJob().in(JobStatus.FAILED);

        assertThat(JobTable.fromItem(JobTable.toItem(job)).error()).isEqualTo(job.error());
    }

    @Test
    void absentOptionalFieldsAreNotWritten() {
        assertThat(JobTable.toItem(aQueuedJob().build()))
                .doesNotContainKeys("statement_id", "row_count", "error_code", "result");
    }

    @Test
    void keyIsTenantAndJob() {
        Job job = aQueuedJob().forTenant(GLOBEX).build();

        assertThat(JobTable.key(job.tenantId(), job.jobId()))
                .containsOnlyKeys("tenant_id", "job_id")
                .extractingByKey("tenant_id").extracting(value -> value.s()).isEqualTo("globex");
    }

    @Test
    void insertRefusesToOverwriteAnExistingJob() {
        PutItemRequest insert = JobTable.insert("jobs", aQueuedJob().build());

        assertThat(insert.conditionExpression()).isEqualTo("attribute_not_exists(#job_id)");
    }

    @Test
    void replaceIsACompareAndSetOnTheCurrentVersion() {
        Job current = aQueuedJob().build();

        JobTable.Write write = JobTable.replace("jobs", current, current.transitionTo(JobStatus.RUNNING, NOW));

        assertThat(write.written().version()).isEqualTo(2);
        assertThat(write.request().item().get("version").n()).isEqualTo("2");
        assertThat(write.request().conditionExpression()).isEqualTo("#version = :expected");
        assertThat(write.request().expressionAttributeValues().get(":expected").n()).isEqualTo("1");
    }

    @Test
    void aWriteRecognisesItselfReadBackButNotAnotherWritersJob() {
        Job current = aQueuedJob().build();
        JobTable.Write ours = JobTable.replace("jobs", current, current.transitionTo(JobStatus.RUNNING, NOW));
        JobTable.Write theirs = JobTable.replace("jobs", current, current.transitionTo(JobStatus.CANCELLED, NOW));

        assertThat(ours.landedAs(ours.written())).isTrue();
        assertThat(ours.landedAs(theirs.written())).isFalse();
        assertThat(ours.landedAs(current)).isFalse();
    }

    @Test
    void replaceRefusesAnotherTenantsJob() {
        Job acme = aQueuedJob().forTenant(ACME).build();
        Job globex = aQueuedJob().forTenant(GLOBEX).withId(acme.jobId()).build();

        assertThatThrownBy(() -> JobTable.replace("jobs", acme, globex)).isInstanceOf(IllegalArgumentException.class);
    }
    @Test
    void anActiveJobIsInTheIndexOfActiveJobsByItsLeaseExpiry() {
        Job claimed = aQueuedJob().build().leasedTo("worker-1", NOW.plusSeconds(10));

        var item = JobTable.toItem(claimed);

        assertThat(item.get("active_shard").s()).startsWith("active-");
        assertThat(item.get("lease_expires_at").n()).isEqualTo(Long.toString(NOW.plusSeconds(10).toEpochMilli()));
        assertThat(item.get("lease_owner").s()).isEqualTo("worker-1");
        assertThat(JobTable.fromItem(item)).isEqualTo(claimed);
    }

    @Test
    void anEndedJobLeavesTheIndexOfActiveJobs() {
        Job ended = aQueuedJob().in(JobStatus.FAILED);

        assertThat(JobTable.toItem(ended)).doesNotContainKeys("active_shard", "lease_expires_at", "lease_owner");
    }

    @Test
    void theSweepersQueryAsksOneShardForLeasesExpiredBeforeNow() {
        var query = JobTable.expiredLeases("jobs", 3, NOW, 25);

        assertThat(query.indexName()).isEqualTo(JobTable.ACTIVE_INDEX);
        assertThat(query.expressionAttributeValues().get(":shard").s()).isEqualTo("active-3");
        assertThat(query.expressionAttributeValues().get(":now").n()).isEqualTo(Long.toString(NOW.toEpochMilli()));
        assertThat(query.limit()).isEqualTo(25);
        assertThatThrownBy(() -> JobTable.expiredLeases("jobs", JobTable.ACTIVE_SHARDS, NOW, 25))
                .isInstanceOf(IllegalArgumentException.class);
    }
    @Test
    void anActiveJobWrittenBeforeLeasesReadsAsUnownedAndLapsed() {
        var item = new java.util.HashMap<>(JobTable.toItem(aQueuedJob().build()));
        item.remove("lease_expires_at");
        item.remove("active_shard");

        Job legacy = JobTable.fromItem(item);

        assertThat(legacy.lease().owner()).isNull();
        assertThat(legacy.lease().isExpired(NOW)).isTrue();
    }
}
