package dev.spectra.local.dataapi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionRegistryTest {

    private static final Instant NOW = Instant.parse("2024-01-31T10:15:00Z");
    private static final WarehouseTarget ACME = new WarehouseTarget("spectra-local", null, "dev", "tenant_acme");

    private final SessionRegistry registry = new SessionRegistry(2);

    @Test
    void refusesASessionWhileItsStatementRuns() {
        Session session = registry.open(UUID.randomUUID().toString(), ACME, Duration.ofSeconds(60), NOW);

        assertThatThrownBy(() -> registry.acquire(session.id(), null, NOW))
                .isInstanceOf(DataApiException.class)
                .hasMessageContaining("busy");

        registry.release(session, true, NOW);
        assertThat(registry.acquire(session.id(), null, NOW.plusSeconds(1))).isSameAs(session);
    }

    @Test
    void expiresAnIdleSessionAfterItsKeepAliveCountedFromItsLastStatement() {
        Session session = registry.open(UUID.randomUUID().toString(), ACME, Duration.ofSeconds(10), NOW);
        registry.release(session, true, NOW.plusSeconds(5));

        assertThat(registry.expire(NOW.plusSeconds(14))).isEmpty();
        assertThat(registry.liveSessions()).isEqualTo(1);
        registry.expire(NOW.plusSeconds(15));

        assertThat(registry.liveSessions()).isZero();
        assertThatThrownBy(() -> registry.acquire(session.id(), null, NOW.plusSeconds(16)))
                .isInstanceOf(DataApiException.class)
                .hasMessage("Session is not available");
    }

    @Test
    void tellsAnExpiredSessionFromOneThatNeverExisted() {
        String unknown = UUID.randomUUID().toString();

        assertThatThrownBy(() -> registry.acquire(unknown, null, NOW))
                .isInstanceOf(DataApiException.class)
                .hasMessage("Session with Id: " + unknown + " is invalid");
    }

    @Test
    void closesASessionWhoseConnectionBroke() {
        Session session = registry.open(UUID.randomUUID().toString(), ACME, Duration.ofSeconds(60), NOW);

        registry.release(session, false, NOW);

        assertThatThrownBy(() -> registry.acquire(session.id(), null, NOW))
                .hasMessage("Session is not available");
    }

    @Test
    void refusesMoreSessionsThanTheLimitButFreesTheSlotOfAnAbandonedOne() {
        registry.open(UUID.randomUUID().toString(), ACME, Duration.ofSeconds(60), NOW);
        Session second = registry.open(UUID.randomUUID().toString(), ACME, Duration.ofSeconds(60), NOW);

        assertThatThrownBy(() -> registry.open(UUID.randomUUID().toString(), ACME, Duration.ofSeconds(60), NOW))
                .isInstanceOf(DataApiException.class)
                .satisfies(e -> assertThat(((DataApiException) e).type())
                        .isEqualTo(DataApiException.Type.ACTIVE_SESSIONS_EXCEEDED));

        registry.abandon(second, true);
        assertThat(registry.open(UUID.randomUUID().toString(), ACME, Duration.ofSeconds(60), NOW)).isNotNull();
    }

    @Test
    void closesEverySessionAndRefusesNewOnesAfterCloseAll() {
        registry.open(UUID.randomUUID().toString(), ACME, Duration.ofSeconds(60), NOW);

        registry.closeAll();

        assertThat(registry.liveSessions()).isZero();
        assertThatThrownBy(() -> registry.open(UUID.randomUUID().toString(), ACME, Duration.ofSeconds(60), NOW))
                .isInstanceOf(DataApiException.class);
    }
}
