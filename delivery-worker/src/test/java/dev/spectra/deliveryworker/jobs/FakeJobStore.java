package dev.spectra.deliveryworker.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStore;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.job.JobTable.JobKey;
import dev.spectra.common.tenant.TenantId;

import java.util.ArrayDeque;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * An in-memory job table with the real compare-and-set semantics, that can fail reads or writes and
 * let another writer in between a read and a write. Thread-safe: the Kafka test reads it while the
 * listener thread writes.
 */
public final class FakeJobStore implements JobStore {

    private final Map<JobKey, Job> jobs = new HashMap<>();
    private final List<Job> writes = new ArrayList<>();
    private final Deque<Supplier<RuntimeException>> findFailures = new ArrayDeque<>();
    private final Deque<Supplier<RuntimeException>> writeFailures = new ArrayDeque<>();
    private UnaryOperator<Job> anotherWriter;

    /** Stores {@code job} as if the services before the delivery worker had written it; returns it. */
    public synchronized Job save(Job job) {
        jobs.put(key(job), job);
        return job;
    }

    /** The job as currently stored. */
    public synchronized Job stored(Job job) {
        return jobs.get(key(job));
    }

    /** Jobs written by the code under test, in order. */
    public synchronized List<Job> writes() {
        return List.copyOf(writes);
    }

    public synchronized void failNextFinds(int times, Supplier<RuntimeException> failure) {
        for (int i = 0; i < times; i++) {
            findFailures.add(failure);
        }
    }

    public synchronized void failNextWrites(int times, Supplier<RuntimeException> failure) {
        for (int i = 0; i < times; i++) {
            writeFailures.add(failure);
        }
    }

    /** Another worker changes the stored job right before the next write of the code under test. */
    public synchronized void beforeNextWrite(UnaryOperator<Job> change) {
        this.anotherWriter = change;
    }

    @Override
    public synchronized Optional<Job> find(TenantId tenantId, JobId jobId) {
        if (!findFailures.isEmpty()) {
            throw findFailures.poll().get();
        }
        return Optional.ofNullable(jobs.get(new JobKey(tenantId, jobId)));
    }

    @Override
    public synchronized Optional<Job> replace(Job current, Job next) {
        if (!writeFailures.isEmpty()) {
            throw writeFailures.poll().get();
        }
        if (anotherWriter != null) {
            Job stored = jobs.get(key(current));
            jobs.put(key(stored), JobTable.replace(JobTable.DEFAULT_NAME, stored, anotherWriter.apply(stored)).written());
            anotherWriter = null;
        }
        Job stored = jobs.get(key(current));
        if (stored == null || stored.version() != current.version()) {
            return Optional.empty();
        }
        Job written = JobTable.replace(JobTable.DEFAULT_NAME, current, next).written();
        jobs.put(key(written), written);
        writes.add(written);
        return Optional.of(written);
    }

    @Override
    public synchronized Optional<Job> claimUnowned(TenantId tenantId, JobId jobId, String owner, Instant until) {
        Job stored = jobs.get(new JobKey(tenantId, jobId));
        if (stored == null || stored.status() != JobStatus.QUEUED || stored.lease() == null || stored.lease().owner() != null) {
            return Optional.empty();
        }
        Job written = JobTable.replace(JobTable.DEFAULT_NAME, stored, stored.leasedTo(owner, until)).written();
        jobs.put(key(written), written);
        writes.add(written);
        return Optional.of(written);
    }

    /**
     * The held jobs that have not ended and whose lease expired before {@code now}, soonest-expired first:
     * what the index of active jobs holds. At most {@code limit} in all, which is within the contract's
     * "at most {@code limit} per shard"; the fake has no shards.
     */
    @Override
    public synchronized List<JobKey> expiredLeases(Instant now, int limit) {
        return jobs.values().stream()
                .filter(job -> job.lease() != null && job.lease().expiresAt().isBefore(now))
                .sorted(Comparator.comparing(job -> job.lease().expiresAt()))
                .limit(limit)
                .map(FakeJobStore::key)
                .toList();
    }

    private static JobKey key(Job job) {
        return new JobKey(job.tenantId(), job.jobId());
    }
}
