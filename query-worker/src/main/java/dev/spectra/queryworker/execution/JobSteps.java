package dev.spectra.queryworker.execution;

import dev.spectra.common.job.JobId;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.queryworker.config.StatementsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * How a job's steps run: blocking calls on the bounded AWS-call pool, waits on the shared scheduler (a
 * retry never sleeps on a thread), and retries of calls that must eventually succeed.
 */
public final class JobSteps {

    private static final Logger log = LoggerFactory.getLogger(JobSteps.class);

    private final Executor calls;
    private final ScheduledExecutorService scheduler;
    private final FailureClassifier classifier;
    private final StatementsProperties settings;

    public JobSteps(Executor calls, ScheduledExecutorService scheduler, FailureClassifier classifier,
            StatementsProperties settings) {
        this.calls = requireNonNull(calls, "calls is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.classifier = requireNonNull(classifier, "classifier is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    public JobRun begin(TenantId tenantId, JobId jobId, Runnable acknowledgement) {
        return new JobRun(tenantId, jobId, calls, acknowledgement);
    }

    /** One blocking call on the AWS-call pool. */
    public <T> CompletableFuture<T> call(JobRun run, Callable<T> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, run.executor());
    }

    /**
     * A job-table call, repeated while it fails transiently. The job table is the truth about every job, so
     * while it is unreachable the job waits rather than guesses; the future fails only on a fatal error or
     * when the worker stops.
     */
    public <T> CompletableFuture<T> store(JobRun run, Callable<T> call) {
        return untilDone(run, () -> call(run, call), classifier::isTransient);
    }

    /** An asynchronous operation, repeated with capped backoff while its failures pass {@code retryable}. */
    public <T> CompletableFuture<T> untilDone(JobRun run, Supplier<CompletableFuture<T>> attempt,
            Predicate<Throwable> retryable) {
        return untilDone(run, attempt, retryable, 1);
    }

    private <T> CompletableFuture<T> untilDone(JobRun run, Supplier<CompletableFuture<T>> attempt,
            Predicate<Throwable> retryable, int attemptNumber) {
        return attempt.get()
                .handleAsync((result, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(result);
                    }
                    if (!retryable.test(failure)) {
                        return CompletableFuture.<T>failedFuture(failure);
                    }
                    Duration wait = settings.backoffBefore(attemptNumber);
                    log.warn("attempt {} failed ({}); retrying in {}", attemptNumber, describe(failure), readable(wait));
                    return after(wait, run).thenComposeAsync(
                            ignored -> untilDone(run, attempt, retryable, attemptNumber + 1), run.executor());
                }, run.executor())
                .thenCompose(next -> next);
    }

    /** Completes after {@code delay}; fails if the worker is shutting down. */
    public CompletableFuture<Void> after(Duration delay, JobRun run) {
        CompletableFuture<Void> elapsed = new CompletableFuture<>();
        try {
            scheduler.schedule(() -> elapsed.complete(null), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            elapsed.completeExceptionally(stopping);
        }
        return elapsed;
    }

    /** "15m" rather than "PT15M". */
    static String readable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getClass().getSimpleName();
    }
}
