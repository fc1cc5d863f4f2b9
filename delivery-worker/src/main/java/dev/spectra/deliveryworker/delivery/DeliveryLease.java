package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.aws.Dependency;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A delivery worker's hold on one DELIVERING job: taken with a compare-and-set, renewed every third of its term
 * while the result is written, so that a long export is never announced again under its writer's feet, and a
 * worker that died mid-delivery leaves the job to a query worker's sweeper once the term lapsed. Every renewal
 * is a compare-and-set too: a worker that lost the job (frozen past its term) learns it at its next renewal and
 * stops, writing nothing more. One per delivery, used by its own thread only.
 */
final class DeliveryLease {

    private final JobStore jobs;
    private final RetryingCaller caller;
    private final Clock clock;
    private final String worker;
    private final Duration term;
    private Job current;
    private Instant renewAt;

    private DeliveryLease(JobStore jobs, RetryingCaller caller, Clock clock, String worker, Duration term, Job held) {
        this.jobs = jobs;
        this.caller = caller;
        this.clock = clock;
        this.worker = worker;
        this.term = term;
        this.current = held;
        this.renewAt = clock.instant().plus(term.dividedBy(3));
    }

    /** Leases {@code job} to {@code worker}; empty when another writer changed the job first. */
    static Optional<DeliveryLease> claim(JobStore jobs, RetryingCaller caller, Clock clock, String worker, Duration term, Job job) {
        requireNonNull(worker, "worker is null");
        Instant now = clock.instant();
        Optional<Job> held = caller.call(Dependency.STORAGE, () -> jobs.replace(job, job.leasedTo(worker, now.plus(term))));
        return held.map(leased -> new DeliveryLease(jobs, caller, clock, worker, term, leased));
    }

    /** The job as last written by this lease: what the delivery's outcome replaces. */
    Job job() {
        return current;
    }

    /** Renews the lease when a third of its term has passed. @throws LeaseLost when another writer holds the job now */
    void keep() {
        Instant now = clock.instant();
        if (now.isBefore(renewAt)) {
            return;
        }
        Job base = current;
        Optional<Job> renewed = caller.call(Dependency.STORAGE, () -> jobs.replace(base, base.leasedTo(worker, now.plus(term))));
        current = renewed.orElseThrow(() -> new LeaseLost("the job changed while it was delivered (version " + base.version() + ")"));
        renewAt = now.plus(term.dividedBy(3));
    }

    /** Gives the job up at once (the worker stops): a sweeper announces it again without waiting for the term. */
    void handOver() {
        Job base = current;
        try {
            jobs.replace(base, base.leasedTo(worker, clock.instant()));
        } catch (RuntimeException e) {
            // Its term lapses anyway.
        }
    }

    /** Another writer took the job over; this delivery stops and writes nothing. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(String message) {
            super(message, null, false, false);
        }
    }
}
