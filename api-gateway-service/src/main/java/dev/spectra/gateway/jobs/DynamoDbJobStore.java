package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobFilter;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.TenantId;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import static java.util.Objects.requireNonNull;

/** The job table in DynamoDB, through the async client and the request builders every service shares. */
public final class DynamoDbJobStore implements JobStore {

    private final DynamoDbAsyncClient dynamoDb;
    private final String table;

    public DynamoDbJobStore(DynamoDbAsyncClient dynamoDb, String table) {
        this.dynamoDb = requireNonNull(dynamoDb, "dynamoDb is null");
        this.table = requireNonNull(table, "table is null");
    }

    @Override
    public Mono<Void> insert(Job job) {
        return Mono.fromFuture(() -> dynamoDb.putItem(JobTable.insert(table, job))).then();
    }

    @Override
    public Mono<Job> find(TenantId tenantId, JobId jobId) {
        return Mono.fromFuture(() -> dynamoDb.getItem(JobTable.get(table, tenantId, jobId)))
                .filter(GetItemResponse::hasItem)
                .map(response -> JobTable.fromItem(response.item()));
    }

    @Override
    public Mono<Page> list(TenantId tenantId, JobFilter filter, JobId after, int limit) {
        return Mono.fromFuture(() -> dynamoDb.query(JobTable.tenantJobs(table, tenantId, filter, after, limit)))
                .map(response -> new Page(
                        response.items().stream().map(JobTable::fromItem).toList(),
                        response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                                ? JobTable.keyOf(response.lastEvaluatedKey()).jobId() : null));
    }

    @Override
    public Mono<Job> replace(Job current, Job next) {
        return Mono.defer(() -> {
            JobTable.Write write = JobTable.replace(table, current, next);
            return Mono.fromFuture(() -> dynamoDb.putItem(write.request()))
                    .thenReturn(write.written())
                    .onErrorResume(ConditionalCheckFailedException.class, lostRace -> Mono.empty());
        });
    }
}
