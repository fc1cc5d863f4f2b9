package dev.spectra.deliveryworker.delivery;

import dev.spectra.deliveryworker.config.DeliveryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Calls a dependency, retrying what the {@link FailureClassifier} calls retryable with exponential
 * backoff. Runs on the listener thread: the attempts and backoff are bounded so that a record is
 * processed well within {@code max.poll.interval.ms}.
 */
@Component
public class RetryingCaller {

    private static final Logger log = LoggerFactory.getLogger(RetryingCaller.class);

    private final FailureClassifier classifier;
    private final DeliveryProperties.Retry retry;
    private final Sleeper sleeper;
    private final DeliveryMetrics metrics;

    public RetryingCaller(FailureClassifier classifier, DeliveryProperties delivery, Sleeper sleeper, DeliveryMetrics metrics) {
        this.classifier = classifier;
        this.retry = delivery.retry();
        this.sleeper = sleeper;
        this.metrics = metrics;
    }

    /** The call's answer; throws {@link DeliveryFailedException} once the call has failed for good. */
    public <T> T call(Dependency dependency, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                Failure failure = classifier.classify(dependency, e);
                if (!failure.retryable() || attempt >= retry.maxAttempts()) {
                    throw new DeliveryFailedException(failure, e);
                }
                Duration backoff = retry.backoffAfter(attempt);
                log.warn("{} failed on attempt {} of {}, retrying in {}ms: {}",
                        dependency.description(), attempt, retry.maxAttempts(), backoff.toMillis(), failure.message());
                metrics.retried(dependency);
                pause(backoff, dependency, e);
            }
        }
    }

    private void pause(Duration backoff, Dependency dependency, RuntimeException cause) {
        try {
            sleeper.sleep(backoff);
        } catch (InterruptedException interrupted) {
            // Shutting down: the dependency did not fail the job, so leave it for the next consumer.
            Thread.currentThread().interrupt();
            throw new DeliveryDeferredException("interrupted while waiting to retry " + dependency.description(), cause);
        }
    }
}
