package dev.spectra.gateway.jobs;

import dev.spectra.common.tenant.TenantId;
import dev.spectra.gateway.support.GatewayWebTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyTest extends GatewayWebTest {

    private static final String BODY = "{\"sql\": \"SELECT region FROM sales\", \"name\": \"regions\"}";
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void theSameKeyWithTheSameRequestReturnsTheOriginalJobAndQueuesNothing() {
        String first = jobId(submitWithKey(ACME, "retry-me-1", BODY).expectStatus().isAccepted()
                .expectHeader().doesNotExist("Idempotent-Replayed"));

        EntityExchangeResult<byte[]> replay = submitWithKey(ACME, "retry-me-1", "{ \"name\": \"regions\", \"sql\": \"SELECT region FROM sales\" }")
                .expectStatus().isOk()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectHeader().valueEquals("Location", "/v1/queries/" + first)
                .expectBody().returnResult();

        assertThat(jobIdOf(replay)).isEqualTo(first);
        assertThat(jobs.all()).hasSize(1);
        assertThat(queue.requests()).hasSize(1);
    }

    @Test
    void howLongTheClientWaitsIsNotPartOfTheRequest() {
        String first = jobId(submitWithKey(ACME, "retry-me-2", BODY).expectStatus().isAccepted());

        EntityExchangeResult<byte[]> replay = submitWithKey(ACME, "retry-me-2",
                "{\"sql\": \"SELECT region FROM sales\", \"name\": \"regions\", \"wait_seconds\": 1}")
                .expectStatus().isOk().expectBody().returnResult();

        assertThat(jobIdOf(replay)).isEqualTo(first);
    }

    @Test
    void theSameKeyWithAnotherRequestIs422AndRecordsNothing() {
        String first = jobId(submitWithKey(ACME, "retry-me-3", BODY).expectStatus().isAccepted());

        submitWithKey(ACME, "retry-me-3", "{\"sql\": \"SELECT region FROM sales\", \"name\": \"other\"}")
                .expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("IDEMPOTENCY_KEY_REUSED")
                .jsonPath("$.job_id").isEqualTo(first);
        assertThat(jobs.all()).hasSize(1);
    }

    @Test
    void keysAreScopedPerTenant() {
        String acme = jobId(submitWithKey(ACME, "shared-key", BODY).expectStatus().isAccepted());
        String globex = jobId(submitWithKey(GLOBEX, "shared-key", BODY).expectStatus().isAccepted());

        assertThat(globex).isNotEqualTo(acme);
        assertThat(jobs.all()).hasSize(2);
    }

    @Test
    void aMalformedKeyIsRefused() {
        submitWithKey(ACME, "x".repeat(256), BODY).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("REQUEST_INVALID");
        submitWithKey(ACME, "has space", BODY).expectStatus().isBadRequest();
        submitWithKey(ACME, "caf\u00e9", BODY).expectStatus().isBadRequest();
        assertThat(jobs.all()).isEmpty();
    }

    @Test
    void aJobThatCouldNotBeQueuedGivesItsKeyUpSoThatTheRetryRunsTheQuery() {
        queue.failWith(new IllegalStateException("broker down"));
        submitWithKey(ACME, "retry-me-4", BODY).expectStatus().isEqualTo(503);

        queue.failWith(null);
        String retried = jobId(submitWithKey(ACME, "retry-me-4", BODY).expectStatus().isAccepted());

        assertThat(queue.requests()).extracting(request -> request.jobId().value()).containsExactly(retried);
    }

    private WebTestClient.ResponseSpec submitWithKey(TenantId tenant, String key, String body) {
        return client.post().uri("/v1/queries")
                .header("Authorization", "Bearer " + tokenFor(tenant))
                .header("X-Tenant-ID", tenant.value())
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private String jobId(WebTestClient.ResponseSpec response) {
        return jobIdOf(response.expectBody().returnResult());
    }

    private String jobIdOf(EntityExchangeResult<byte[]> answer) {
        return json.readTree(answer.getResponseBody()).get("job_id").stringValue();
    }
}
