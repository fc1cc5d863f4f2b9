package dev.spectra.gateway.ratelimit;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.gateway.tenant.ActiveTenantFilter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {

    /** One bucket per tenant, taken from the tenant the tenant filter admitted. */
    @Bean
    RateLimitKeyResolver tenantKeyResolver() {
        return exchange -> Mono.justOrEmpty(exchange.<Tenant>getAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE))
                .map(tenant -> tenant.id().value());
    }

    @Bean
    RateLimiter rateLimiter(RateLimitProperties limits, Clock clock) {
        return new LocalBucketRateLimiter(limits, clock);
    }

    @Bean
    SubmissionRateLimitFilter submissionRateLimitFilter(RateLimitKeyResolver keyResolver, RateLimiter rateLimiter,
                                                        MeterRegistry meters) {
        return new SubmissionRateLimitFilter(keyResolver, rateLimiter, meters);
    }
}
