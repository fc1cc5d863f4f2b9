package dev.spectra.deliveryworker.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobTable;
import dev.spectra.deliveryworker.config.TablesProperties;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.spectra.deliveryworker.jobs.JobFixture.ACME;
import static dev.spectra.deliveryworker.jobs.JobFixture.aDeliveringJob;
import static org.assertj.core.api.Assertions.assertThat;

class DynamoDbJobStoreTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final RecordingDynamoDb dynamoDb = new RecordingDynamoDb();
    private final DynamoDbJobStore store = new DynamoDbJobStore(dynamoDb, new TablesProperties("jobs-table"));

    @Test
    void loadsJobWithConsistentReadFromConfiguredTable() {
        Job job = aDeliveringJob().build();
        dynamoDb.item = GetItemResponse.builder().item(JobTable.toItem(job)).build();

        assertThat(store.load(job.tenantId(), job.jobId())).contains(job);
        assertThat(dynamoDb.gets).containsExactly(JobTable.get("jobs-table", job.tenantId(), job.jobId()));
        assertThat(dynamoDb.gets.getFirst().consistentRead()).isTrue();
    }

    @Test
    void reportsMissingJobAsEmpty() {
        dynamoDb.item = GetItemResponse.builder().build();

        assertThat(store.load(ACME, JobId.random())).isEmpty();
    }

    @Test
    void writesWithCompareAndSetOnVersion() {
        Job job = aDeliveringJob().build();

        var written = store.replace(job, job.succeeded(1, "{}", NOW));

        assertThat(written).get().extracting(Job::version, Job::status).containsExactly(job.version() + 1, JobStatus.SUCCEEDED);
        assertThat(dynamoDb.puts).containsExactly(JobTable.replace("jobs-table", job, job.succeeded(1, "{}", NOW)).request());
    }

    @Test
    void reportsLostCompareAndSetAsEmpty() {
        Job job = aDeliveringJob().build();
        Job cancelledByAnotherWriter = JobTable.replace("jobs-table", job,
                job.endWith(JobStatus.CANCELLED, new JobError("QUERY_CANCELLED", "cancelled", false), NOW)).written();
        dynamoDb.item = GetItemResponse.builder().item(JobTable.toItem(cancelledByAnotherWriter)).build();
        dynamoDb.conditionFails = true;

        assertThat(store.replace(job, job.succeeded(1, "{}", NOW))).isEmpty();
    }

    @Test
    void recognisesItsOwnWriteWhoseResponseWasLost() {
        Job job = aDeliveringJob().build();
        JobTable.Write write = JobTable.replace("jobs-table", job, job.succeeded(1, "{}", NOW));
        dynamoDb.item = GetItemResponse.builder().item(JobTable.toItem(write.written())).build();
        dynamoDb.conditionFails = true;

        assertThat(store.replace(job, job.succeeded(1, "{}", NOW))).contains(write.written());
    }

    /** Only the two calls the store makes; every other DynamoDbClient method throws UnsupportedOperationException. */
    private static final class RecordingDynamoDb implements DynamoDbClient {
        final List<GetItemRequest> gets = new ArrayList<>();
        final List<PutItemRequest> puts = new ArrayList<>();
        GetItemResponse item;
        boolean conditionFails;

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            gets.add(request);
            return item;
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            puts.add(request);
            if (conditionFails) {
                throw ConditionalCheckFailedException.builder().message("The conditional request failed").build();
            }
            return PutItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {}
    }
}
