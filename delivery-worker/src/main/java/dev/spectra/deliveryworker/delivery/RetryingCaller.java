package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.aws.AwsFailureClassifier;
import dev.spectra.common.aws.Dependency;
import dev.spectra.common.aws.Verdict;
import dev.spectra.common.retry.Backoff;
import dev.spectra.deliveryworker.config.DeliveryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Calls a dependency, retrying what the {@link AwsFailureClassifier} calls retryable with the shared
 * {@link Backoff}. Runs on the listener thread: throttled and transient failures alike get a bounded
 * number of attempts, so that a record is processed well within {@code max.poll.interval.ms}.
 */
@Component
public class RetryingCaller {

    private static final Logger log = LoggerFactory.getLogger(RetryingCaller.class);

    private final AwsFailureClassifier classifier;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final RandomGenerator jitter;
    private final DeliveryMetrics metrics;

    public RetryingCaller(AwsFailureClassifier classifier, DeliveryProperties delivery, Sleeper sleeper, RandomGenerator jitter,
                          DeliveryMetrics metrics) {
        this.classifier = classifier;
        this.maxAttempts = delivery.retry().maxAttempts();
        this.backoff = delivery.retry().backoff();
        this.sleeper = sleeper;
        this.jitter = jitter;
        this.metrics = metrics;
    }

    /** The call's answer; throws {@link DeliveryFailedException} once the call has failed for good. */
    public <T> T call(Dependency dependency, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                Verdict verdict = classifier.classify(e, dependency);
                Failure failure = Failure.of(dependency, verdict);
                if (!verdict.isRetryable() || attempt >= maxAttempts) {
                    throw new DeliveryFailedException(failure, e);
                }
                Duration pause = backoff.delayBefore(attempt, jitter);
                log.warn("{} failed ({}) on attempt {} of {}, retrying in {}ms: {}",
                        dependency.description(), verdict.kind(), attempt, maxAttempts, pause.toMillis(), failure.message());
                metrics.retried(dependency);
                pause(pause, dependency, e);
            }
        }
    }

    private void pause(Duration pause, Dependency dependency, RuntimeException cause) {
        try {
            sleeper.sleep(pause);
        } catch (InterruptedException interrupted) {
            // Shutting down: the dependency did not fail the job, so leave it for the next consumer.
            Thread.currentThread().interrupt();
            throw new DeliveryDeferredException("interrupted while waiting to retry " + dependency.description(), cause);
        }
    }
}
