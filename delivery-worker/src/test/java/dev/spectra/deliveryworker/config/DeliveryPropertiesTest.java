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
            assertThat(delivery.itemMaxBytes()).isEqualTo(DataSize.ofKilobytes(64));
            assertThat(delivery.inlineMaxBytes()).isEqualTo(DataSize.ofMegabytes(25));
            assertThat(delivery.inlineChunkBytes()).isEqualTo(DataSize.ofMegabytes(1));
            assertThat(delivery.fileMaxBytes()).isEqualTo(DataSize.ofMegabytes(128));
            assertThat(delivery.maxResultBytes()).isEqualTo(DataSize.ofGigabytes(10));
            assertThat(delivery.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
            assertThat(delivery.renewEvery()).isEqualTo(Duration.ofSeconds(10));
            assertThat(delivery.maxInFlight()).isEqualTo(16);
            assertThat(delivery.maxPerTenant()).isEqualTo(2);
            assertThat(delivery.maxUploads()).isEqualTo(4);
            assertThat(delivery.uploadPartSize()).isEqualTo(DataSize.ofMegabytes(5));
            assertThat(delivery.retry()).isEqualTo(new DeliveryProperties.Retry(4, Duration.ofMillis(200), Duration.ofSeconds(5), 0.5));
        });
    }

    @Test
    void bindsOverrides() {
        context.withPropertyValues(
                        "spectra.delivery.inline-max-bytes=100KB",
                        "spectra.delivery.inline-chunk-bytes=10KB",
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
    void refusesAnItemLimitThatCannotFitInADynamoDbItem() {
        context.withPropertyValues("spectra.delivery.item-max-bytes=351KB")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("between 0B and 350KB"));
    }

    @Test
    void refusesAPartSmallerThanS3Allows() {
        context.withPropertyValues("spectra.delivery.upload-part-size=4MB")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("at least 5MB"));
    }

    @Test
    void refusesATenantShareLargerThanTheWorkersPlaces() {
        context.withPropertyValues("spectra.delivery.max-in-flight=2", "spectra.delivery.max-per-tenant=3")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("max-per-tenant (3)"));
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
