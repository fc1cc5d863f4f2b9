package dev.spectra.queryworker.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.TenantId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The job table on DynamoDB, through the request builders every service shares. */
public final class DynamoDbJobStore implements JobStore {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbJobStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = requireNonNull(dynamoDb, "dynamoDb is null");
        this.table = requireNonNull(table, "table is null");
    }

    @Override
    public Optional<Job> find(TenantId tenantId, JobId jobId) {
        GetItemResponse response = dynamoDb.getItem(JobTable.get(table, tenantId, jobId));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(JobTable.fromItem(response.item()))
                : Optional.empty();
    }

    @Override
    public Optional<Job> replace(Job current, Job next) {
        JobTable.Write write = JobTable.replace(table, current, next);
        try {
            dynamoDb.putItem(write.request());
            return Optional.of(write.written());
        } catch (ConditionalCheckFailedException versionMoved) {
            return find(current.tenantId(), current.jobId()).filter(write::landedAs).map(stored -> write.written());
        }
    }
}
