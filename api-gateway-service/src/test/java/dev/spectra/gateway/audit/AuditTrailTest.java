package dev.spectra.gateway.audit;

import dev.spectra.common.audit.AuditRecord;
import dev.spectra.common.audit.AuditRecord.Decision;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.gateway.support.GatewayWebTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every decision of the gateway leaves one audit record, refusals from every layer included, and no secret. */
class AuditTrailTest extends GatewayWebTest {

    private static final String SQL = "SELECT region FROM sales WHERE region = :region";
    private static final String BODY = "{\"sql\": \"SELECT region FROM sales WHERE region = :region\","
            + " \"parameters\": [{\"name\": \"region\", \"value\": \"secret-region-value\"}]}";
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void anAcceptedSubmissionNamesWhoWhichTenantWhichJobWhichSqlAndFromWhere() {
        String token = tokens.forTenant("acme").claim("azp", "reporting-app").mint();

        String jobId = submitAs(token, "acme", BODY).expectStatus().isAccepted()
                .expectBody().returnResult().getResponseHeaders().getLocation().getPath().substring("/v1/queries/".length());

        AuditRecord accepted = single(Decision.ACCEPTED);
        assertThat(accepted.operation()).isEqualTo("submit");
        assertThat(accepted.actor()).isEqualTo(new AuditRecord.Actor("test-client", "reporting-app"));
        assertThat(accepted.tenant()).isEqualTo(new AuditRecord.Tenant("acme", true));
        assertThat(accepted.jobId()).isEqualTo(JobId.of(jobId));
        assertThat(accepted.jobStatus()).isEqualTo(JobStatus.QUEUED);
        assertThat(accepted.sqlSha256()).as("of the text as sent, not as the guard rewrote it").isEqualTo(AuditRecord.sqlFingerprint(SQL));
        assertThat(accepted.source()).isEqualTo("127.0.0.1");
        assertThat(accepted.requestId()).isNotBlank();
        assertThat(accepted.errorCode()).isNull();
        assertThat(json.writeValueAsString(audit.records())).doesNotContain(SQL, "secret-region-value", token);
    }

    @Test
    void theClientIdComesFromClientIdWhenTheTokenHasNoAzp() {
        submitAs(tokens.forTenant("acme").claim("client_id", "etl-job").mint(), "acme", BODY).expectStatus().isAccepted();

        assertThat(single(Decision.ACCEPTED).actor()).isEqualTo(new AuditRecord.Actor("test-client", "etl-job"));
    }

    @Test
    void aSqlGuardRefusalNamesItsCodeAndTheSqlFingerprintAndNoJob() {
        submit(ACME, "{\"sql\": \"DROP TABLE sales\"}").expectStatus().isBadRequest();

        AuditRecord refused = single(Decision.REFUSED);
        assertThat(refused.errorCode()).isEqualTo("SQL_NOT_READ_ONLY");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.sqlSha256()).isEqualTo(AuditRecord.sqlFingerprint("DROP TABLE sales"));
        assertThat(refused.jobId()).isNull();
        assertThat(refused.tenant()).isEqualTo(new AuditRecord.Tenant("acme", true));
        assertThat(audit.records(Decision.ACCEPTED)).isEmpty();
    }

    @Test
    void aRequestWithoutAValidTokenIsRefusedWithoutAnActorAndItsClaimedTenantUnverified() {
        String expired = tokens.forTenant("acme").expiredFor(java.time.Duration.ofMinutes(5)).mint();

        submitAs(null, "acme", BODY).expectStatus().isUnauthorized();
        submitAs(expired, "acme", BODY).expectStatus().isUnauthorized();
        submitAs("not.a.jwt", "acme", BODY).expectStatus().isUnauthorized();

        assertThat(audit.records()).hasSize(3).allSatisfy(refused -> {
            assertThat(refused.decision()).isEqualTo(Decision.REFUSED);
            assertThat(refused.errorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.actor()).isNull();
            assertThat(refused.tenant()).isEqualTo(new AuditRecord.Tenant("acme", false));
        });
        assertThat(json.writeValueAsString(audit.records())).doesNotContain(expired, "not.a.jwt");
    }

    @Test
    void anotherTenantsHeaderIsRefusedAndTheClaimedValueIsBoundedAndPrintable() {
        String hostile = "globex\"}{\"decision\":\"ACCEPTED\" " + "x".repeat(5_000);

        submitAs(tokenFor(ACME), hostile, BODY).expectStatus().isForbidden();

        AuditRecord refused = single(Decision.REFUSED);
        assertThat(refused.errorCode()).isEqualTo("TENANT_MISMATCH");
        assertThat(refused.actor().subject()).isEqualTo("test-client");
        assertThat(refused.tenant().verified()).isFalse();
        assertThat(refused.tenant().id()).hasSizeLessThanOrEqualTo(128).startsWith("globex_").doesNotContain("\"", "{", " ");
    }

    @Test
    void anUnknownTenantIsRefusedAsNotActive() {
        submit(UNKNOWN, BODY).expectStatus().isForbidden();

        assertThat(single(Decision.REFUSED).errorCode()).isEqualTo("TENANT_NOT_ACTIVE");
        assertThat(single(Decision.REFUSED).tenant()).isEqualTo(new AuditRecord.Tenant(UNKNOWN.value(), false));
    }

    @Test
    void aRateLimitedSubmissionIsRefusedWithItsCode() {
        List<Integer> statuses = IntStream.range(0, 25).mapToObj(i -> submit(ACME, "{\"sql\": \"SELECT 1\"}")
                .returnResult(String.class).getStatus().value()).toList();

        assertThat(statuses).contains(429);
        assertThat(audit.records(Decision.REFUSED)).isNotEmpty().allSatisfy(refused -> {
            assertThat(refused.errorCode()).isEqualTo("RATE_LIMITED");
            assertThat(refused.status()).isEqualTo(429);
        });
        assertThat(audit.records(Decision.ACCEPTED).size() + audit.records(Decision.REFUSED).size()).isEqualTo(25);
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherRequestIsRefusedAndAReplayIsAcceptedAsOne() {
        submitWithKey("key-1", "{\"sql\": \"SELECT 1\"}").expectStatus().isAccepted();
        submitWithKey("key-1", "{\"sql\": \"SELECT 1\"}").expectStatus().isOk();
        submitWithKey("key-1", "{\"sql\": \"SELECT 2\"}").expectStatus().isEqualTo(422);

        assertThat(audit.records(Decision.ACCEPTED)).extracting(AuditRecord::idempotentReplay).containsExactly(null, true);
        assertThat(single(Decision.REFUSED).errorCode()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void aCancelIsRecordedAsTheClientsDecisionAndAsTheJobsEndAndCancellingAgainIsRefused() {
        submit(ACME, "{\"sql\": \"SELECT 1\"}").expectStatus().isAccepted();
        JobId jobId = single(Decision.ACCEPTED).jobId();

        cancel(jobId).expectStatus().isOk();
        cancel(jobId).expectStatus().isEqualTo(409);

        AuditRecord cancelled = single(Decision.CANCELLED);
        assertThat(cancelled.operation()).isEqualTo("cancel");
        assertThat(cancelled.jobId()).isEqualTo(jobId);
        assertThat(cancelled.jobStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.actor()).isEqualTo(new AuditRecord.Actor("test-client", null));
        AuditRecord ended = single(Decision.ENDED);
        assertThat(ended.jobId()).isEqualTo(jobId);
        assertThat(ended.errorCode()).isEqualTo("QUERY_CANCELLED");
        AuditRecord refused = single(Decision.REFUSED);
        assertThat(refused.errorCode()).isEqualTo("JOB_ALREADY_ENDED");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.jobId()).isEqualTo(jobId);
    }

    @Test
    void readsThatSucceedAreNoDecisionAndLeaveNoRecord() {
        submit(ACME, "{\"sql\": \"SELECT 1\"}").expectStatus().isAccepted();
        JobId jobId = single(Decision.ACCEPTED).jobId();

        get(ACME, "/v1/queries/" + jobId.value()).expectStatus().isOk();
        get(ACME, "/v1/queries").expectStatus().isOk();

        assertThat(audit.records()).hasSize(1);
    }

    @Test
    void theOperationIsNamedFromAFixedListNeverFromThePath() {
        get(ACME, "/v1/queries/not-a-job-id/whatever").expectStatus().isNotFound();

        assertThat(single(Decision.REFUSED).operation()).isEqualTo("other");
        assertThat(single(Decision.REFUSED).jobId()).isNull();
    }

    @Test
    void anXForwardedForIsNotTrustedUnlessConfigured() {
        client.post().uri("/v1/queries")
                .headers(headers -> {
                    headers.setBearerAuth(tokenFor(ACME));
                    headers.set("X-Tenant-ID", "acme");
                    headers.set("X-Forwarded-For", "203.0.113.9");
                })
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"sql\": \"SELECT 1\"}")
                .exchange().expectStatus().isAccepted();

        assertThat(single(Decision.ACCEPTED).source()).isEqualTo("127.0.0.1");
    }

    private AuditRecord single(Decision decision) {
        List<AuditRecord> records = audit.records(decision);
        assertThat(records).as("%s records in %s", decision, audit.records()).hasSize(1);
        return records.getFirst();
    }

    private WebTestClient.ResponseSpec submitAs(String token, String tenantHeader, String body) {
        return client.post().uri("/v1/queries")
                .headers(headers -> {
                    if (token != null) {
                        headers.setBearerAuth(token);
                    }
                    headers.set("X-Tenant-ID", tenantHeader);
                })
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec submitWithKey(String key, String body) {
        return client.post().uri("/v1/queries")
                .headers(headers -> {
                    headers.setBearerAuth(tokenFor(ACME));
                    headers.set("X-Tenant-ID", "acme");
                    headers.set("Idempotency-Key", key);
                })
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec cancel(JobId jobId) {
        return client.post().uri("/v1/queries/" + jobId.value() + "/cancel")
                .headers(headers -> {
                    headers.setBearerAuth(tokenFor(ACME));
                    headers.set("X-Tenant-ID", "acme");
                })
                .exchange();
    }
}
