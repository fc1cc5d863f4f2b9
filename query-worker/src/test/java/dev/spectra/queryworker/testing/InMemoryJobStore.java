package dev.spectra.queryworker.testing;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.common.job.JobStore;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** The job table's semantics (compare-and-set on version) in a map, with failures and competing writers on demand. */
public final class InMemoryJobStore implements JobStore {

    private record Key(TenantId tenantId, JobId jobId) {
    }

    private record Competitor(Predicate<Job> when, UnaryOperator<Job> write) {
    }

    private final Map<Key, Job> jobs = new ConcurrentHashMap<>();
    private final Queue<RuntimeException> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile Competitor competitor;

    public void put(Job job) {
        jobs.put(new Key(job.tenantId(), job.jobId()), job);
    }

    public Job get(Job job) {
        return jobs.get(new Key(job.tenantId(), job.jobId()));
    }

    /** The next calls fail with these, one each. */
    public void failNextCalls(RuntimeException... next) {
        failures.addAll(List.of(next));
    }

    /** Just before this worker writes a job matching {@code when}, another writer replaces the stored job. */
    public void competeBefore(Predicate<Job> when, UnaryOperator<Job> write) {
        competitor = new Competitor(when, write);
    }

    public int calls() {
        return calls.get();
    }

    @Override
    public Optional<Job> find(TenantId tenantId, JobId jobId) {
        failIfAsked();
        return Optional.ofNullable(jobs.get(new Key(tenantId, jobId)));
    }

    @Override
    public synchronized Optional<Job> replace(Job current, Job next) {
        failIfAsked();
        Key key = new Key(current.tenantId(), current.jobId());
        Competitor competing = competitor;
        if (competing != null && competing.when().test(next)) {
            competitor = null;
            Job stored = jobs.get(key);
            jobs.put(key, JobTable.replace(JobTable.DEFAULT_NAME, stored, competing.write().apply(stored)).written());
        }
        Job stored = jobs.get(key);
        if (stored == null || stored.version() != current.version()) {
            return Optional.empty();
        }
        Job written = JobTable.replace(JobTable.DEFAULT_NAME, current, next).written();
        jobs.put(key, written);
        return Optional.of(written);
    }

    /** The conditional update's semantics: only a QUEUED job that no worker ever leased; its version moves on by one. */
    @Override
    public synchronized Optional<Job> claimUnowned(TenantId tenantId, JobId jobId, String owner, Instant until) {
        failIfAsked();
        Key key = new Key(tenantId, jobId);
        Competitor competing = competitor;
        Job before = jobs.get(key);
        if (competing != null && before != null && before.lease() != null && competing.when().test(before.leasedTo(owner, until))) {
            competitor = null;
            jobs.put(key, JobTable.replace(JobTable.DEFAULT_NAME, before, competing.write().apply(before)).written());
        }
        Job stored = jobs.get(key);
        if (stored == null || stored.status() != JobStatus.QUEUED || stored.lease() == null || stored.lease().owner() != null) {
            return Optional.empty();
        }
        Job written = JobTable.replace(JobTable.DEFAULT_NAME, stored, stored.leasedTo(owner, until)).written();
        jobs.put(key, written);
        return Optional.of(written);
    }

    @Override
    public List<JobTable.JobKey> expiredLeases(Instant now, int limit) {
        failIfAsked();
        return jobs.values().stream()
                .filter(job -> job.lease() != null && job.lease().isExpired(now))
                .map(job -> new JobTable.JobKey(job.tenantId(), job.jobId()))
                .toList();
    }

    private void failIfAsked() {
        calls.incrementAndGet();
        RuntimeException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
    }
}
