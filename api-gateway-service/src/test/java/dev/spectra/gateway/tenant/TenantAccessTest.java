package dev.spectra.gateway.tenant;

import dev.spectra.gateway.support.GatewayWebTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TenantAccessTest extends GatewayWebTest {

    private final String anyJob = "/v1/queries/" + UUID.randomUUID();

    @Test
    void refusesAHeaderNamingAnotherTenantThanTheToken() {
        client.get().uri(anyJob)
                .headers(headers -> {
                    headers.setBearerAuth(tokenFor(ACME));
                    headers.set("X-Tenant-ID", GLOBEX.value());
                })
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("TENANT_MISMATCH");
    }

    @Test
    void refusesARequestWithoutTenantHeader() {
        client.post().uri("/v1/queries")
                .headers(headers -> headers.setBearerAuth(tokenFor(ACME)))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"sql\": \"SELECT 1\"}")
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("TENANT_MISMATCH");
        assertThat(jobs.all()).isEmpty();
    }

    @Test
    void refusesAnInactiveTenant() {
        submit(DORMANT, "{\"sql\": \"SELECT 1\"}")
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("TENANT_NOT_ACTIVE");
        assertThat(jobs.all()).isEmpty();
    }

    @Test
    void answersAnUnknownTenantExactlyLikeAnInactiveOne() {
        byte[] inactive = get(DORMANT, anyJob).expectStatus().isForbidden().expectBody().returnResult().getResponseBody();
        byte[] unknown = get(UNKNOWN, anyJob).expectStatus().isForbidden().expectBody().returnResult().getResponseBody();

        assertThat(unknown).isEqualTo(inactive);
    }

    @Test
    void answersServiceUnavailableWhenTheRegistryCannotBeRead() {
        tenants.failWith(new IllegalStateException("DynamoDB is down"));

        get(ACME, anyJob)
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.code").isEqualTo("STORAGE_UNAVAILABLE");
    }
}
