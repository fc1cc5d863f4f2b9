package dev.spectra.gateway.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator listens on {@code management.server.port} only: the public API port, the one a load balancer routes
 * to, serves no health details and no metrics, with or without a token. On the management port health, the
 * Kubernetes probes and the Prometheus scrape need none.
 */
class ManagementPortTest extends GatewayWebTest {

    @LocalServerPort
    int apiPort;
    @LocalManagementPort
    int managementPort;

    @Test
    void runsTheActuatorOnAPortOfItsOwn() {
        assertThat(managementPort).isPositive().isNotEqualTo(apiPort);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/prometheus", "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness", "/actuator"})
    void thePublicPortDoesNotServeTheActuator(String path) {
        String body = client.get().uri(path).exchange()
                .expectStatus().value(status -> assertThat(status).isIn(401, 404))
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body == null ? "" : body).doesNotContain("jvm_", "\"status\":\"UP\"");

        get(ACME, path).expectStatus().isNotFound();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"})
    void theManagementPortServesHealthAndProbesWithoutAToken(String path) {
        management().get().uri(path).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void theManagementPortServesPrometheusWithoutAToken() {
        String scrape = management().get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(scrape).contains("jvm_memory_used_bytes", "application=\"api-gateway-service\"");
    }

    private WebTestClient management() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build();
    }
}
