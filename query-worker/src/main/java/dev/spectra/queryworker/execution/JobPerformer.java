package dev.spectra.queryworker.execution;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.JobRequested;
import dev.spectra.queryworker.jobs.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * Takes one job request: loads the job, decides from its recorded state what is left to do, claims it
 * (QUEUED to RUNNING, compare-and-set) and hands it on. The job table, not the message, is the truth: a
 * replayed or duplicated request can only re-attach to what the job already has.
 */
public final class JobPerformer {

    private static final Logger log = LoggerFactory.getLogger(JobPerformer.class);

    private final JobStore jobs;
    private final StatementLauncher launcher;
    private final OutcomeRecorder recorder;
    private final JobMessages messages;
    private final JobSteps steps;
    private final Clock clock;

    public JobPerformer(JobStore jobs, StatementLauncher launcher, OutcomeRecorder recorder, JobMessages messages,
            JobSteps steps, Clock clock) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.recorder = requireNonNull(recorder, "recorder is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.steps = requireNonNull(steps, "steps is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Starts work on the request and returns at once; the calling (listener) thread never waits for the
     * warehouse. {@code acknowledge} runs once the job reached DELIVERING or an end, or turned out not to be
     * this worker's to run; if the worker stops first it never runs, and the record is redelivered.
     */
    public void perform(JobRequested request, Runnable acknowledge) {
        JobRun run = steps.begin(request.tenantId(), request.jobId(), acknowledge);
        try {
            steps.store(run, () -> jobs.find(request.tenantId(), request.jobId()))
                    .whenCompleteAsync((found, failure) -> {
                        if (failure != null) {
                            run.abandon("could not load the job", failure);
                        } else {
                            proceed(run, found);
                        }
                    }, run.executor());
        } catch (RejectedExecutionException stopping) {
            run.abandon("the worker is stopping", null);
        }
    }

    private void proceed(JobRun run, Optional<Job> found) {
        if (found.isEmpty()) {
            log.warn("no such job in the job table; acknowledging the request");
            run.acknowledge();
            return;
        }
        Job job = found.get();
        if (job.status().isTerminal()) {
            log.info("job already ended {}; acknowledging the request", job.status());
            run.acknowledge();
        } else if (job.status() == JobStatus.DELIVERING) {
            recorder.reannounce(run, job);
        } else if (job.hasStatement()) {
            launcher.reattach(run, job);
        } else if (job.status() == JobStatus.QUEUED) {
            claim(run, job);
        } else {
            log.warn("job is RUNNING without a statement: the worker that claimed it stopped before starting one; starting it here");
            launcher.launch(run, job);
        }
    }

    private void claim(JobRun run, Job queued) {
        Job running = queued.transitionTo(JobStatus.RUNNING, clock.instant());
        steps.store(run, () -> jobs.replace(queued, running)).whenCompleteAsync((claimed, failure) -> {
            if (failure != null) {
                run.abandon("could not claim the job", failure);
            } else if (claimed.isEmpty()) {
                log.info("another worker claimed the job first; skipping it");
                run.acknowledge();
            } else {
                messages.jobChanged(claimed.get());
                launcher.launch(run, claimed.get());
            }
        }, run.executor());
    }
}
