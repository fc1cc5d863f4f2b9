package dev.spectra.gateway.auth;

import dev.spectra.gateway.support.GatewayWebTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationTest extends GatewayWebTest {

    @Test
    void refusesARequestWithoutATokenWithAChallenge() {
        client.get().uri("/v1/queries/" + UUID.randomUUID())
                .header("X-Tenant-ID", ACME.value())
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("UNAUTHENTICATED")
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.type").isEqualTo("urn:spectra:problem:unauthenticated");
    }

    @Test
    void refusesATokenSignedWithAnotherKey() {
        expectInvalidToken(tokens.forTenant("acme").signedWith("another-secret-that-is-long-enough-0123456789").mint());
    }

    @Test
    void refusesAnExpiredToken() {
        expectInvalidToken(tokens.forTenant("acme").expiredFor(Duration.ofMinutes(2)).mint());
    }

    @Test
    void refusesATokenWithoutExpiry() {
        expectInvalidToken(tokens.forTenant("acme").withoutExpiry().mint());
    }

    @Test
    void refusesATokenFromAnotherIssuer() {
        expectInvalidToken(tokens.forTenant("acme").issuedBy("https://evil.example/").mint());
    }

    @Test
    void refusesATokenMintedForAnotherAudience() {
        expectInvalidToken(tokens.forTenant("acme").forAudience("another-app").mint());
    }

    @Test
    void refusesATokenThatLivesLongerThanTheMaximum() {
        expectInvalidToken(tokens.forTenant("acme").living(Duration.ofHours(25)).mint());
    }

    @Test
    void refusesATokenWithoutIssueTime() {
        expectInvalidToken(tokens.forTenant("acme").withoutIssueTime().mint());
    }

    @Test
    void acceptsATokenThatLivesExactlyTheMaximum() {
        client.get().uri("/v1/queries/" + UUID.randomUUID())
                .headers(headers -> {
                    headers.setBearerAuth(tokens.forTenant("acme").living(Duration.ofHours(24)).mint());
                    headers.set("X-Tenant-ID", ACME.value());
                })
                .exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void refusesATokenThatNamesNoTenant() {
        expectInvalidToken(tokens.forTenant("acme").claim("tenant_id", null).mint());
    }

    @Test
    void refusesSomethingThatIsNotAToken() {
        expectInvalidToken("not-a-jwt");
    }

    private void expectInvalidToken(String token) {
        WebTestClient.ResponseSpec response = client.get().uri("/v1/queries/" + UUID.randomUUID())
                .headers(headers -> {
                    headers.setBearerAuth(token);
                    headers.set("X-Tenant-ID", ACME.value());
                })
                .exchange();
        response.expectStatus().isUnauthorized()
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, challenge -> assertThat(challenge)
                        .startsWith("Bearer error=\"invalid_token\""))
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("UNAUTHENTICATED");
    }
}
