package dev.spectra.deliveryworker.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Binding.class);

    @Test
    void bindsDefaults() {
        context.run(context -> {
            DeliveryProperties delivery = context.getBean(DeliveryProperties.class);
            assertThat(delivery.inlineMaxBytes()).isEqualTo(DataSize.ofKilobytes(256));
            assertThat(delivery.retry()).isEqualTo(new DeliveryProperties.Retry(4, Duration.ofMillis(200), Duration.ofSeconds(5)));
        });
    }

    @Test
    void bindsOverrides() {
        context.withPropertyValues(
                        "spectra.delivery.inline-max-bytes=100KB",
                        "spectra.delivery.retry.max-attempts=2",
                        "spectra.delivery.retry.initial-backoff=1s",
                        "spectra.delivery.retry.max-backoff=3s")
                .run(context -> {
                    DeliveryProperties delivery = context.getBean(DeliveryProperties.class);
                    assertThat(delivery.inlineMaxBytes()).isEqualTo(DataSize.ofKilobytes(100));
                    assertThat(delivery.retry()).isEqualTo(new DeliveryProperties.Retry(2, Duration.ofSeconds(1), Duration.ofSeconds(3)));
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
        DeliveryProperties.Retry retry = new DeliveryProperties.Retry(6, Duration.ofMillis(200), Duration.ofMillis(700));

        assertThat(retry.backoffAfter(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(retry.backoffAfter(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(retry.backoffAfter(3)).isEqualTo(Duration.ofMillis(700));
        assertThat(retry.backoffAfter(5)).isEqualTo(Duration.ofMillis(700));
    }

    @EnableConfigurationProperties(DeliveryProperties.class)
    static class Binding {}
}
