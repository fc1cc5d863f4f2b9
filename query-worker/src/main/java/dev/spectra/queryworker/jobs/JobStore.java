package dev.spectra.queryworker.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.tenant.TenantId;

import java.util.Optional;

/** The job table, as the worker uses it. Implementations throw the store's own exceptions on failure. */
public interface JobStore {

    /** The job as last written (a consistent read), or empty if the tenant has no such job. */
    Optional<Job> find(TenantId tenantId, JobId jobId);

    /**
     * Writes {@code next} only if the stored job is still at {@code current}'s version (compare-and-set).
     *
     * @return the job as written, with its new version; empty if another writer changed the job first
     */
    Optional<Job> replace(Job current, Job next);
}
