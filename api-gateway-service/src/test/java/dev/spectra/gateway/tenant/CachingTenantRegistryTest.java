package dev.spectra.gateway.tenant;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CachingTenantRegistryTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final Tenant ACTIVE_ACME = new Tenant(ACME, "tenant_acme", true);
    private static final Duration TTL = Duration.ofSeconds(30);

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final InMemoryTenantRegistry registry = new InMemoryTenantRegistry().with(ACTIVE_ACME);
    private final CachingTenantRegistry cache = new CachingTenantRegistry(registry, TTL, ticker);

    @Test
    void answersRepeatedLookupsFromTheCacheWithinTheTimeToLive() {
        StepVerifier.create(cache.find(ACME)).expectNext(ACTIVE_ACME).verifyComplete();
        advance(TTL.minusSeconds(1));
        StepVerifier.create(cache.find(ACME)).expectNext(ACTIVE_ACME).verifyComplete();

        assertThat(registry.lookups()).isEqualTo(1);
    }

    @Test
    void asksTheRegistryAgainOnceTheAnswerExpired() {
        StepVerifier.create(cache.find(ACME)).expectNextCount(1).verifyComplete();
        registry.with(new Tenant(ACME, "tenant_acme", false));
        advance(TTL.plusSeconds(1));

        StepVerifier.create(cache.find(ACME))
                .assertNext(tenant -> assertThat(tenant.active()).isFalse())
                .verifyComplete();
        assertThat(registry.lookups()).isEqualTo(2);
    }

    @Test
    void remembersThatATenantDoesNotExist() {
        TenantId unknown = TenantId.of("unknown-co");

        StepVerifier.create(cache.find(unknown)).verifyComplete();
        StepVerifier.create(cache.find(unknown)).verifyComplete();

        assertThat(registry.lookups()).isEqualTo(1);
    }

    @Test
    void doesNotRememberAFailedLookup() {
        registry.failWith(new IllegalStateException("DynamoDB is down"));
        StepVerifier.create(cache.find(ACME)).expectError(IllegalStateException.class).verify();

        registry.failWith(null);
        StepVerifier.create(cache.find(ACME)).expectNext(ACTIVE_ACME).verifyComplete();
        assertThat(registry.lookups()).isEqualTo(2);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
