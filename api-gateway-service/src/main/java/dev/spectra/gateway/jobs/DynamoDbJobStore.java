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
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import reactor.util.retry.Retry;

import java.time.Duration;
import java.time.Instant;

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

    /**
     * The transaction of {@link JobTable#insertWithIdempotencyKey}. Two gateways inserting the same key at once: one
     * transaction wins, the other is cancelled with a conflict or a failed condition; a conflict is tried again, so
     * that the loser reads the winner's record and replays its job.
     */
    @Override
    public Mono<Insertion> insert(Job job, IdempotencyKey key, String requestHash, Instant now, Instant keyExpiresAt) {
        return Mono.defer(() -> Mono.fromFuture(() -> dynamoDb.transactWriteItems(JobTable.insertWithIdempotencyKey(
                        table, job, key.hash(), requestHash, now, keyExpiresAt))))
                .thenReturn(Insertion.INSERTED)
                .onErrorResume(TransactionCanceledException.class, cancelled -> {
                    if (isConflict(cancelled)) {
                        return Mono.error(new ConflictRetry(cancelled));
                    }
                    return Mono.fromFuture(() -> dynamoDb.getItem(JobTable.getIdempotencyKey(table, job.tenantId(), key.hash())))
                            .flatMap(response -> response.hasItem()
                                    ? Mono.just(new Insertion(JobTable.idempotencyRecordOf(response.item())))
                                    // The key's record vanished meanwhile (it expired): try the insert again.
                                    : Mono.error(new ConflictRetry(cancelled)));
                })
                .retryWhen(Retry.backoff(5, Duration.ofMillis(20)).filter(ConflictRetry.class::isInstance)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure().getCause()));
    }

    @Override
    public Mono<Void> forget(TenantId tenantId, IdempotencyKey key, JobId jobId) {
        return Mono.fromFuture(() -> dynamoDb.deleteItem(JobTable.deleteIdempotencyKey(table, tenantId, key.hash(), jobId)))
                .onErrorResume(ConditionalCheckFailedException.class, taken -> Mono.empty())
                .then();
    }

    private static boolean isConflict(TransactionCanceledException cancelled) {
        return cancelled.hasCancellationReasons() && cancelled.cancellationReasons().stream()
                .anyMatch(reason -> "TransactionConflict".equals(reason.code()));
    }

    /** A transaction that lost to a concurrent one; worth trying again. */
    private static final class ConflictRetry extends RuntimeException {
        ConflictRetry(Throwable cause) {
            super("transaction conflict", cause, false, false);
        }
    }

    @Override
    public Mono<Job> find(TenantId tenantId, JobId jobId) {
        return Mono.fromFuture(() -> dynamoDb.getItem(JobTable.get(table, tenantId, jobId)))
                .filter(GetItemResponse::hasItem)
                .map(response -> JobTable.fromItem(response.item()));
    }

    @Override
    public Mono<Job> findWithoutResult(TenantId tenantId, JobId jobId) {
        return Mono.fromFuture(() -> dynamoDb.getItem(JobTable.getWithoutResult(table, tenantId, jobId)))
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
