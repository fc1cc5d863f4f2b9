package dev.spectra.queryworker.session;

import dev.spectra.queryworker.config.SessionsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

@Configuration(proxyBeanMethods = false)
public class SessionConfiguration {

    @Bean
    SessionPool sessionPool(SessionsProperties sessions, Clock clock, ScheduledExecutorService workerScheduler,
            MeterRegistry meters) {
        return new SessionPool(sessions, clock, workerScheduler, meters);
    }
}
