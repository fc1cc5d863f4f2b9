package dev.spectra.gateway.support;

import dev.spectra.common.testing.MutableClock;
import dev.spectra.common.testing.RecordingAuditTrail;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.gateway.jobs.InMemoryJobStore;
import dev.spectra.gateway.jobs.RecordingJobQueue;
import dev.spectra.gateway.results.InMemoryResultObjects;
import dev.spectra.gateway.tenant.InMemoryTenantRegistry;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Instant;

import static dev.spectra.gateway.support.GatewayWebTest.ACME;
import static dev.spectra.gateway.support.GatewayWebTest.DORMANT;
import static dev.spectra.gateway.support.GatewayWebTest.GLOBEX;

/** Replaces the clock and everything behind the DynamoDB, Kafka and S3 boundary with in-memory fakes. */
@TestConfiguration(proxyBeanMethods = false)
public class FakeBoundaries {

    @Bean
    @Primary
    MutableClock testClock() {
        return new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    }

    @Bean
    @Primary
    InMemoryJobStore inMemoryJobStore() {
        return new InMemoryJobStore();
    }

    @Bean
    @Primary
    InMemoryResultObjects inMemoryResultObjects(MutableClock testClock) {
        return new InMemoryResultObjects(testClock);
    }

    @Bean
    @Primary
    RecordingJobQueue recordingJobQueue() {
        return new RecordingJobQueue();
    }

    @Bean
    @Primary
    RecordingAuditTrail recordingAuditTrail() {
        return new RecordingAuditTrail();
    }

    @Bean
    @Primary
    InMemoryTenantRegistry inMemoryTenantRegistry() {
        return new InMemoryTenantRegistry()
                .with(new Tenant(ACME, "tenant_acme", true))
                .with(new Tenant(GLOBEX, "tenant_globex", true))
                .with(new Tenant(DORMANT, "tenant_dormant", false));
    }
}
