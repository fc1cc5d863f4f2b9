package dev.spectra.deliveryworker.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.TenantId;

import java.util.ArrayDeque;
import java.util.ArrayList;
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

    private record Key(TenantId tenantId, JobId jobId) {}

    private final Map<Key, Job> jobs = new HashMap<>();
    private final List<Job> writes = new ArrayList<>();
    private final Deque<Supplier<RuntimeException>> loadFailures = new ArrayDeque<>();
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

    public synchronized void failNextLoads(int times, Supplier<RuntimeException> failure) {
        for (int i = 0; i < times; i++) {
            loadFailures.add(failure);
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
    public synchronized Optional<Job> load(TenantId tenantId, JobId jobId) {
        if (!loadFailures.isEmpty()) {
            throw loadFailures.poll().get();
        }
        return Optional.ofNullable(jobs.get(new Key(tenantId, jobId)));
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

    private static Key key(Job job) {
        return new Key(job.tenantId(), job.jobId());
    }
}
