package dev.spectra.deliveryworker.messaging;

import dev.spectra.common.retry.Backoff;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

import java.util.random.RandomGenerator;

import static java.util.Objects.requireNonNull;

/**
 * The shared {@link Backoff} as spring-kafka's error handler asks for it: the pauses between
 * redeliveries of one record, {@code maxAttempts - 1} of them, then {@link BackOffExecution#STOP}.
 */
final class RedeliveryBackOff implements BackOff {

    private final Backoff backoff;
    private final int maxAttempts;
    private final RandomGenerator jitter;

    RedeliveryBackOff(Backoff backoff, int maxAttempts, RandomGenerator jitter) {
        this.backoff = requireNonNull(backoff, "backoff is null");
        this.jitter = requireNonNull(jitter, "jitter is null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
    }

    @Override
    public BackOffExecution start() {
        return new BackOffExecution() {
            private int retries;

            @Override
            public long nextBackOff() {
                if (retries + 1 >= maxAttempts) {
                    return STOP;
                }
                retries++;
                return backoff.delayBefore(retries, jitter).toMillis();
            }
        };
    }
}
