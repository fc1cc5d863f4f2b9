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
        return call(dependency, null, call);
    }

    /** A Data API call, as {@link #call(Dependency, Supplier)}; each attempt is counted under {@code operation}. */
    public <T> T callDataApi(String operation, Supplier<T> call) {
        return call(Dependency.WAREHOUSE, operation, call);
    }

    /** @param dataApiOperation the Data API operation whose attempts {@code spectra.dataapi.calls} counts; null for other calls */
    private <T> T call(Dependency dependency, String dataApiOperation, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                T answer = call.get();
                if (dataApiOperation != null) {
                    metrics.dataApiSucceeded(dataApiOperation);
                }
                return answer;
            } catch (RuntimeException e) {
                Verdict verdict = classifier.classify(e, dependency);
                Failure failure = Failure.of(dependency, verdict);
                boolean retrying = verdict.isRetryable() && attempt < maxAttempts;
                if (dataApiOperation != null) {
                    metrics.dataApiFailed(dataApiOperation, verdict, retrying);
                }
                if (!retrying) {
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
