package dev.spectra.gateway.jobs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobTable.JobKey;
import dev.spectra.common.tenant.TenantId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Reads of a job's status, as cheap as they can be: a job that ended never changes again, so its status is read
 * once and then served from memory, on every gateway replica alike; a job still running is read from the store
 * without its result document. Polling an ended job every few milliseconds costs no store read at all.
 *
 * <p>Jobs read here carry no {@code resultJson}: they serve status answers, waits and streams, never a write and
 * never a result.
 */
public final class JobStatusReads {

    /** Memory for ended jobs, weighed by their SQL (the largest part of what is kept), about 64 MB at most. */
    private static final long MAX_WEIGHT = 64L * 1024 * 1024;

    private final JobStore store;
    private final Cache<JobKey, Job> ended;
    private final Counter fromMemory;
    private final Counter fromStore;

    public JobStatusReads(JobStore store, Duration keepEnded, MeterRegistry meters) {
        this.store = requireNonNull(store, "store is null");
        this.ended = Caffeine.newBuilder()
                .maximumWeight(MAX_WEIGHT)
                .weigher((JobKey key, Job job) -> 1024 + job.sql().length() * 2)
                .expireAfterWrite(requireNonNull(keepEnded, "keepEnded is null"))
                .build();
        this.fromMemory = Counter.builder("spectra.gateway.status_reads").tag("source", "memory")
                .description("Job status reads, by where the answer came from").register(meters);
        this.fromStore = Counter.builder("spectra.gateway.status_reads").tag("source", "store")
                .description("Job status reads, by where the answer came from").register(meters);
    }

    /** The job as it stands; empty when the tenant has no such job. */
    public Mono<Job> find(TenantId tenantId, JobId jobId) {
        JobKey key = new JobKey(tenantId, jobId);
        Job known = ended.getIfPresent(key);
        if (known != null) {
            fromMemory.increment();
            return Mono.just(known);
        }
        return Mono.defer(() -> {
            fromStore.increment();
            return store.findWithoutResult(tenantId, jobId);
        }).doOnNext(job -> {
            if (job.status().isTerminal()) {
                ended.put(key, job);
            }
        });
    }
}
