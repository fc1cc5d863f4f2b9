package dev.spectra.deliveryworker.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.tenant.TenantId;

import java.util.Optional;

/** The job table as the delivery worker uses it: consistent reads and compare-and-set writes. */
public interface JobStore {

    /** The job as last written (consistent read); empty if there is no such job for this tenant. */
    Optional<Job> load(TenantId tenantId, JobId jobId);

    /**
     * Writes {@code next} only if the stored job is still at {@code current}'s version.
     *
     * @return the job as written (version incremented); empty if another writer changed the job first
     */
    Optional<Job> replace(Job current, Job next);
}
