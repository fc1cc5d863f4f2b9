package dev.spectra.deliveryworker.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.deliveryworker.config.TablesProperties;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.util.Optional;

/** {@link JobStore} on the real DynamoDB client, with the item layout and requests from {@link JobTable}. */
@Component
public class DynamoDbJobStore implements JobStore {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbJobStore(DynamoDbClient dynamoDb, TablesProperties tables) {
        this.dynamoDb = dynamoDb;
        this.table = tables.jobs();
    }

    @Override
    public Optional<Job> load(TenantId tenantId, JobId jobId) {
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
            return load(current.tenantId(), current.jobId()).filter(write::landedAs).map(stored -> write.written());
        }
    }
}
