package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobFilter;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.TenantId;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** The job table as the gateway uses it. Errors mean the store could not answer. */
public interface JobStore {

    /** Records a new job; fails if the store is unavailable or the id is taken. */
    Mono<Void> insert(Job job);

    /** The job with this key; empty if none. A job is only ever found together with its own tenant. */
    Mono<Job> find(TenantId tenantId, JobId jobId);

    /**
     * The job without its result document, for status reads ({@code JobTable.getWithoutResult}); empty if none. A job
     * read this way is never written back.
     */
    Mono<Job> findWithoutResult(TenantId tenantId, JobId jobId);

    /**
     * Replaces {@code current} with {@code next} if the stored job is still at {@code current}'s version,
     * and emits the job as written. Empty when another writer got there first: that writer owns the job.
     */
    Mono<Job> replace(Job current, Job next);

    /**
     * Records a new job together with its idempotency key's item, in one transaction: emits {@link Insertion#inserted()}
     * when both were written, or the key's record when the key is already held by a live record (then nothing was
     * written). Fails if the store is unavailable.
     */
    Mono<Insertion> insert(Job job, IdempotencyKey key, String requestHash, Instant now, Instant keyExpiresAt);

    /** Forgets the key, if it still names {@code jobId}; a job that could not be queued must not be replayed. */
    Mono<Void> forget(TenantId tenantId, IdempotencyKey key, JobId jobId);

    /** @param existing the key's record when the key was already held; null when the job was inserted */
    record Insertion(JobTable.IdempotencyRecord existing) {
        public static final Insertion INSERTED = new Insertion(null);

        public boolean inserted() {
            return existing == null;
        }
    }

    /**
     * One read of the tenant's jobs, newest first, starting after {@code after} (null: the newest): the jobs of that
     * read that pass {@code filter}, and where the read stopped. A read may hold fewer than {@code limit} jobs, none
     * even, and still not be the last.
     */
    Mono<Page> list(TenantId tenantId, JobFilter filter, JobId after, int limit);

    /** @param lastRead the last job the read looked at, matched or not; null when the tenant has no more jobs */
    record Page(List<Job> jobs, JobId lastRead) {
        public Page {
            jobs = List.copyOf(requireNonNull(jobs, "jobs is null"));
        }
    }
}
