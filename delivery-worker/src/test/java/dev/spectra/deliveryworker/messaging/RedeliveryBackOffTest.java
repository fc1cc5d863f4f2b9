package dev.spectra.deliveryworker.messaging;

import dev.spectra.common.retry.Backoff;
import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOffExecution;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class RedeliveryBackOffTest {

    @Test
    void pausesBeforeEachRedeliveryThenStopsAfterTheLastAttempt() {
        var backOff = new RedeliveryBackOff(Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(300)), 4, new SplittableRandom(1));

        BackOffExecution execution = backOff.start();

        assertThat(execution.nextBackOff()).isEqualTo(100);
        assertThat(execution.nextBackOff()).isEqualTo(200);
        assertThat(execution.nextBackOff()).isEqualTo(300);
        assertThat(execution.nextBackOff()).isEqualTo(BackOffExecution.STOP);
    }

    @Test
    void everyRecordStartsFromTheFirstPause() {
        var backOff = new RedeliveryBackOff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)), 3, new SplittableRandom(1));
        backOff.start().nextBackOff();

        assertThat(backOff.start().nextBackOff()).isEqualTo(100);
    }

    @Test
    void singleAttemptIsNeverRedelivered() {
        var backOff = new RedeliveryBackOff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)), 1, new SplittableRandom(1));

        assertThat(backOff.start().nextBackOff()).isEqualTo(BackOffExecution.STOP);
    }

    @Test
    void jitteredPausesStayWithinTheBackoff() {
        var backOff = new RedeliveryBackOff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withJitter(0.5), 2,
                new SplittableRandom(1));

        assertThat(backOff.start().nextBackOff()).isBetween(50L, 100L);
    }
}
