package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobFilter;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.TenantId;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** The job table in a map, with the table's key and compare-and-set rules, and a switch to make it fail. */
public final class InMemoryJobStore implements JobStore {

    private record Key(TenantId tenantId, JobId jobId) {}

    private final Map<Key, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final AtomicReference<RuntimeException> replaceFailure = new AtomicReference<>();
    private final AtomicReference<UnaryOperator<Job>> concurrentWriter = new AtomicReference<>();

    /** Every call fails with {@code error} until {@link #reset()}. */
    public void failWith(RuntimeException error) {
        failure.set(error);
    }

    /** Only replaces fail, with {@code error}. */
    public void failReplacesWith(RuntimeException error) {
        replaceFailure.set(error);
    }

    /** Before the next replace, another writer changes the stored job with {@code change} (and bumps its version). */
    public void beforeNextReplace(UnaryOperator<Job> change) {
        concurrentWriter.set(change);
    }

    public void reset() {
        jobs.clear();
        keys.clear();
        failure.set(null);
        replaceFailure.set(null);
        concurrentWriter.set(null);
    }

    /** Stores a job as it stands, bypassing the write rules: test setup. */
    public void save(Job job) {
        jobs.put(new Key(job.tenantId(), job.jobId()), job);
    }

    public Optional<Job> stored(TenantId tenantId, JobId jobId) {
        return Optional.ofNullable(jobs.get(new Key(tenantId, jobId)));
    }

    public List<Job> all() {
        return List.copyOf(jobs.values());
    }

    @Override
    public Mono<Void> insert(Job job) {
        return Mono.defer(() -> {
            failIfAsked();
            if (jobs.putIfAbsent(new Key(job.tenantId(), job.jobId()), job) != null) {
                return Mono.error(new IllegalStateException("job exists: " + job.jobId()));
            }
            return Mono.empty();
        });
    }

    @Override
    public Mono<Job> find(TenantId tenantId, JobId jobId) {
        return Mono.defer(() -> {
            failIfAsked();
            return Mono.justOrEmpty(jobs.get(new Key(tenantId, jobId)));
        });
    }

    @Override
    public Mono<Job> findWithoutResult(TenantId tenantId, JobId jobId) {
        return find(tenantId, jobId).map(job -> JobTable.fromItem(withoutResult(JobTable.toItem(job))));
    }

    private static java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> withoutResult(
            java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> projected = new java.util.HashMap<>(item);
        projected.remove("result");
        return projected;
    }

    @Override
    public Mono<Job> replace(Job current, Job next) {
        return Mono.defer(() -> {
            failIfAsked();
            if (replaceFailure.get() != null) {
                throw replaceFailure.get();
            }
            UnaryOperator<Job> otherWriter = concurrentWriter.getAndSet(null);
            if (otherWriter != null) {
                Job stored = jobs.get(new Key(current.tenantId(), current.jobId()));
                save(JobTable.replace("in-memory", stored, otherWriter.apply(stored)).written());
            }
            Job written = JobTable.replace("in-memory", current, next).written();
            Key key = new Key(current.tenantId(), current.jobId());
            Job stored = jobs.get(key);
            if (stored == null || stored.version() != current.version()) {
                return Mono.empty();
            }
            return jobs.replace(key, stored, written) ? Mono.just(written) : Mono.empty();
        });
    }

    /** The filter as DynamoDB applies it, on the tenant's jobs in descending id order, {@code limit} jobs read at most. */
    @Override
    public Mono<Page> list(TenantId tenantId, JobFilter filter, JobId after, int limit) {
        return Mono.defer(() -> {
            failIfAsked();
            List<Job> read = jobs.values().stream()
                    .filter(job -> job.tenantId().equals(tenantId))
                    .filter(job -> after == null || job.jobId().value().compareTo(after.value()) < 0)
                    .filter(job -> filter.submittedAfter() == null || job.jobId().value().compareTo(JobId.lowestAt(filter.submittedAfter())) >= 0)
                    .sorted(java.util.Comparator.comparing((Job job) -> job.jobId().value()).reversed())
                    .limit(limit)
                    .toList();
            boolean more = jobs.values().stream().filter(job -> job.tenantId().equals(tenantId)).count() > 0 && read.size() == limit;
            List<Job> matched = read.stream()
                    .filter(job -> filter.statuses().isEmpty() || filter.statuses().contains(job.status()))
                    .filter(job -> filter.name() == null || filter.name().equals(job.options().name()))
                    .filter(job -> job.options().tags().entrySet().containsAll(filter.tags().entrySet()))
                    .toList();
            return Mono.just(new Page(matched, more ? read.getLast().jobId() : null));
        });
    }

    private final Map<String, JobTable.IdempotencyRecord> keys = new ConcurrentHashMap<>();

    /** The transaction as one step under this store's lock: the key's record and the job, or neither. */
    @Override
    public Mono<Insertion> insert(Job job, IdempotencyKey key, String requestHash, java.time.Instant now, java.time.Instant keyExpiresAt) {
        return Mono.defer(() -> {
            failIfAsked();
            synchronized (keys) {
                String slot = job.tenantId().value() + "/" + key.hash();
                JobTable.IdempotencyRecord held = keys.get(slot);
                if (held != null && held.isLiveAt(now)) {
                    return Mono.just(new Insertion(held));
                }
                if (jobs.putIfAbsent(new Key(job.tenantId(), job.jobId()), job) != null) {
                    return Mono.error(new IllegalStateException("job exists: " + job.jobId()));
                }
                keys.put(slot, new JobTable.IdempotencyRecord(job.jobId(), requestHash, keyExpiresAt));
                return Mono.just(Insertion.INSERTED);
            }
        });
    }

    @Override
    public Mono<Void> forget(TenantId tenantId, IdempotencyKey key, JobId jobId) {
        return Mono.fromRunnable(() -> keys.computeIfPresent(tenantId.value() + "/" + key.hash(),
                (slot, held) -> held.jobId().equals(jobId) ? null : held));
    }

    private void failIfAsked() {
        RuntimeException error = failure.get();
        if (error != null) {
            throw error;
        }
    }
}
