package dev.spectra.gateway.support;

import org.assertj.core.api.AbstractThrowableAssert;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binds a {@code @ConfigurationProperties} record the way the application does, validation included.
 * {@code configuration} is a class carrying {@code @EnableConfigurationProperties(TheRecord.class)}.
 */
public final class PropertiesBinding {

    private PropertiesBinding() {}

    public static <T> T bind(Class<?> configuration, Class<T> type, String... properties) {
        AtomicReference<T> bound = new AtomicReference<>();
        runner(configuration, properties).run(context -> {
            assertThat(context).hasNotFailed();
            bound.set(context.getBean(type));
        });
        return bound.get();
    }

    /** Asserts that the context does not start, and hands over the root cause. */
    public static AbstractThrowableAssert<?, ? extends Throwable> bindingFailure(Class<?> configuration, String... properties) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        runner(configuration, properties).run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            failure.set(cause);
        });
        return assertThat(failure.get());
    }

    private static ApplicationContextRunner runner(Class<?> configuration, String... properties) {
        return new ApplicationContextRunner().withUserConfiguration(configuration).withPropertyValues(properties);
    }
}
