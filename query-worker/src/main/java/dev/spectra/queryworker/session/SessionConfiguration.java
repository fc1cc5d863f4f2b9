package dev.spectra.queryworker.session;

import dev.spectra.queryworker.config.SessionsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
public class SessionConfiguration {

    @Bean
    SessionPool sessionPool(SessionsProperties sessions, Clock clock, MeterRegistry meters) {
        return new SessionPool(sessions, clock, meters);
    }
}
