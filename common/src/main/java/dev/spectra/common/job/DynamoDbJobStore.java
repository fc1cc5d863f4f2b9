package dev.spectra.common.job;

import dev.spectra.common.job.JobTable.JobKey;
import dev.spectra.common.tenant.TenantId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link JobStore} on DynamoDB's blocking client, through the requests of {@link JobTable}. */
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

    @Override
    public Optional<Job> claimUnowned(TenantId tenantId, JobId jobId, String owner, Instant until) {
        try {
            return Optional.of(JobTable.fromItem(dynamoDb.updateItem(JobTable.claimUnowned(table, tenantId, jobId, owner, until)).attributes()));
        } catch (ConditionalCheckFailedException notUnowned) {
            return Optional.empty();
        }
    }

    @Override
    public List<JobKey> expiredLeases(Instant now, int limit) {
        List<JobKey> keys = new ArrayList<>();
        for (int shard = 0; shard < JobTable.ACTIVE_SHARDS; shard++) {
            dynamoDb.query(JobTable.expiredLeases(table, shard, now, limit)).items().stream()
                    .map(JobTable::keyOf)
                    .forEach(keys::add);
        }
        return keys;
    }
}
