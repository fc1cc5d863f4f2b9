package dev.spectra.common.job;

import dev.spectra.common.job.JobTable.JobKey;
import dev.spectra.common.tenant.TenantId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The job table, as the workers use it: blocking calls, meant for virtual threads. One definition for
 * both worker fleets; implementations throw the store's own exceptions, and one classifier decides what
 * is worth retrying.
 */
public interface JobStore {

    /** The job as last written (a consistent read), or empty if the tenant has no such job. */
    Optional<Job> find(TenantId tenantId, JobId jobId);

    /**
     * Writes {@code next} only if the stored job is still at {@code current}'s version (compare-and-set).
     *
     * @return the job as written, with its new version; empty if another writer changed the job first
     */
    Optional<Job> replace(Job current, Job next);

    /**
     * Leases a job nobody claimed yet (QUEUED, never leased to a worker) to {@code owner} until {@code until},
     * in one conditional write, without reading it first: what a worker does when a job's request arrives.
     *
     * @return the job as written; empty when it is not such a job (claimed, ended, absent): read it to see why
     */
    Optional<Job> claimUnowned(TenantId tenantId, JobId jobId, String owner, Instant until);

    /**
     * Keys of active jobs whose lease expired before {@code now}, at most {@code limit} per shard of the
     * index of active jobs. The index is eventually consistent: read each job before acting on it.
     */
    List<JobKey> expiredLeases(Instant now, int limit);
}
