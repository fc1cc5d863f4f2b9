package dev.spectra.queryworker.testing;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.queryworker.execution.JobMessages;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps what the worker announced; can make the broker refuse StatementFinished a few times. */
public final class RecordingJobMessages implements JobMessages {

    private final List<StatementFinished> finished = new CopyOnWriteArrayList<>();
    private final List<Job> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();

    public void refuseNextStatementFinished(int times) {
        refusals.set(times);
    }

    public List<StatementFinished> statementsFinished() {
        return List.copyOf(finished);
    }

    public List<JobStatus> eventStatuses() {
        return events.stream().map(Job::status).toList();
    }

    @Override
    public CompletableFuture<Void> statementFinished(StatementFinished message) {
        if (refusals.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker unavailable"));
        }
        finished.add(message);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void jobChanged(Job job) {
        events.add(job);
    }
}
