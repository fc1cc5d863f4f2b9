package dev.spectra.deliveryworker.config;

import dev.spectra.common.retry.Backoff;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryPropertiesTest {

    private static final RandomGenerator ANY_RANDOM = new SplittableRandom(3);

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Binding.class);

    @Test
    void bindsDefaults() {
        context.run(context -> {
            DeliveryProperties delivery = context.getBean(DeliveryProperties.class);
            assertThat(delivery.inlineMaxBytes()).isEqualTo(DataSize.ofKilobytes(256));
            assertThat(delivery.retry()).isEqualTo(new DeliveryProperties.Retry(4, Duration.ofMillis(200), Duration.ofSeconds(5), 0.5));
        });
    }

    @Test
    void bindsOverrides() {
        context.withPropertyValues(
                        "spectra.delivery.inline-max-bytes=100KB",
                        "spectra.delivery.retry.max-attempts=2",
                        "spectra.delivery.retry.initial-backoff=1s",
                        "spectra.delivery.retry.max-backoff=3s",
                        "spectra.delivery.retry.jitter=0")
                .run(context -> {
                    DeliveryProperties delivery = context.getBean(DeliveryProperties.class);
                    assertThat(delivery.inlineMaxBytes()).isEqualTo(DataSize.ofKilobytes(100));
                    assertThat(delivery.retry()).isEqualTo(new DeliveryProperties.Retry(2, Duration.ofSeconds(1), Duration.ofSeconds(3), 0));
                });
    }

    @Test
    void refusesInlineLimitThatCannotFitInDynamoDbItem() {
        context.withPropertyValues("spectra.delivery.inline-max-bytes=351KB")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("between 1B and 350KB"));
    }

    @Test
    void refusesRetryWithoutAttempts() {
        context.withPropertyValues("spectra.delivery.retry.max-attempts=0")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void refusesBackoffCeilingBelowFirstBackoff() {
        context.withPropertyValues("spectra.delivery.retry.initial-backoff=2s", "spectra.delivery.retry.max-backoff=1s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void doublesBackoffUpToCeiling() {
        Backoff backoff = new DeliveryProperties.Retry(6, Duration.ofMillis(200), Duration.ofMillis(700), 0).backoff();

        assertThat(backoff.delayBefore(1, ANY_RANDOM)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delayBefore(2, ANY_RANDOM)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delayBefore(3, ANY_RANDOM)).isEqualTo(Duration.ofMillis(700));
        assertThat(backoff.delayBefore(5, ANY_RANDOM)).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void jitterTakesAwayAtMostItsShareOfEachPause() {
        Backoff backoff = new DeliveryProperties.Retry(6, Duration.ofMillis(200), Duration.ofMillis(700), 0.5).backoff();

        assertThat(backoff.delayBefore(2, ANY_RANDOM)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(backoff.jitter()).isEqualTo(0.5);
    }

    @Test
    void refusesJitterAboveOne() {
        context.withPropertyValues("spectra.delivery.retry.jitter=1.5")
                .run(context -> assertThat(context).hasFailed());
    }

    @EnableConfigurationProperties(DeliveryProperties.class)
    static class Binding {}
}
