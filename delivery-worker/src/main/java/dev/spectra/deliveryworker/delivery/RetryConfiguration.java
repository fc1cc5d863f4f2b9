package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.aws.AwsFailureClassifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Random;
import java.util.random.RandomGenerator;

/** What the retries of every call share: one verdict on failures, one source of jitter. */
@Configuration(proxyBeanMethods = false)
public class RetryConfiguration {

    @Bean
    public AwsFailureClassifier awsFailureClassifier() {
        return new AwsFailureClassifier();
    }

    /** {@link Random}, unlike most generators, is safe to share between the listener threads. */
    @Bean
    public RandomGenerator retryJitter() {
        return new Random();
    }
}
