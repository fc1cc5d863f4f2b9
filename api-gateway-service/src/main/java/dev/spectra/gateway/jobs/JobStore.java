package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.tenant.TenantId;
import reactor.core.publisher.Mono;

/** The job table as the gateway uses it. Errors mean the store could not answer. */
public interface JobStore {

    /** Records a new job; fails if the store is unavailable or the id is taken. */
    Mono<Void> insert(Job job);

    /** The job with this key; empty if none. A job is only ever found together with its own tenant. */
    Mono<Job> find(TenantId tenantId, JobId jobId);

    /**
     * Replaces {@code current} with {@code next} if the stored job is still at {@code current}'s version,
     * and emits the job as written. Empty when another writer got there first: that writer owns the job.
     */
    Mono<Job> replace(Job current, Job next);
}
