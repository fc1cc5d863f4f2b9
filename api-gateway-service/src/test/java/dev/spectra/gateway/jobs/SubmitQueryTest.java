package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.common.messaging.JobRequested;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.gateway.support.GatewayWebTest;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SubmitQueryTest extends GatewayWebTest {

    private static final String QUERY = "SELECT region, count(*) AS orders FROM sales GROUP BY region";
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void acceptsAReadOnlyQueryRecordsItAndQueuesItForItsTenant() {
        EntityExchangeResult<byte[]> result = submit(ACME, "{\"sql\": \"" + QUERY + "\"}")
                .expectStatus().isAccepted()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader().exists("X-RateLimit-Remaining")
                .expectBody().jsonPath("$.status").isEqualTo("QUEUED")
                .returnResult();

        JobId jobId = JobId.of(json.readTree(result.getResponseBody()).get("job_id").stringValue());
        assertThat(result.getResponseHeaders().getLocation()).hasToString("/v1/queries/" + jobId);

        Job recorded = jobs.stored(ACME, jobId).orElseThrow();
        assertThat(recorded.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(recorded.sql()).isEqualTo(QUERY);
        assertThat(recorded.databaseUser()).isEqualTo("tenant_acme");
        assertThat(recorded.submittedAt()).isEqualTo(clock.instant());
        // expiry is kept in whole seconds (the TTL attribute)
        assertThat(recorded.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(7)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));

        assertThat(queue.requests()).containsExactly(new JobRequested(jobId, ACME, clock.instant()));
        assertThat(queue.events()).containsExactly(JobEvent.of(recorded));
    }

    @Test
    void recordsTheRequestedDeliveryOnTheJob() {
        EntityExchangeResult<byte[]> result = submit(ACME, """
                {"sql": "SELECT 1", "disposition": "EXTERNAL_LINKS", "format": "CSV", "compression": "GZIP", "row_limit": 10}""")
                .expectStatus().isAccepted()
                .expectBody().returnResult();

        JobId jobId = JobId.of(json.readTree(result.getResponseBody()).get("job_id").stringValue());
        assertThat(jobs.stored(ACME, jobId).orElseThrow().delivery()).isEqualTo(
                new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.GZIP, 10L, null));
    }

    @Test
    void refusesAnUndeliverableCombinationBeforeRecordingAnything() {
        expectRequestInvalid(submit(ACME, "{\"sql\": \"SELECT 1\", \"disposition\": \"INLINE\", \"format\": \"PARQUET\"}"),
                "Disposition INLINE delivers only format JSON_ARRAY");

        assertThat(jobs.all()).isEmpty();
        assertThat(queue.requests()).isEmpty();
    }

    @Test
    void refusesAStatementThatIsNotAQueryAsProblemJson() {
        submit(ACME, "{\"sql\": \"DROP TABLE sales\"}")
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:spectra:problem:sql-not-read-only")
                .jsonPath("$.title").isEqualTo("SQL is not a read-only query")
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("DROP"))
                .jsonPath("$.code").isEqualTo("SQL_NOT_READ_ONLY");

        assertThat(jobs.all()).isEmpty();
        assertThat(queue.requests()).isEmpty();
    }

    @Test
    void refusesMoreThanOneStatement() {
        submit(ACME, "{\"sql\": \"SELECT 1; SELECT 2\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("SQL_MULTIPLE_STATEMENTS");
    }

    @Test
    void refusesSystemCatalogs() {
        submit(ACME, "{\"sql\": \"SELECT * FROM pg_catalog.pg_roles\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("SQL_FORBIDDEN_OBJECT");
    }

    @Test
    void refusesSqlTheParserCannotRead() {
        submit(ACME, "{\"sql\": \"SELEC * FRM sales\"}")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("SQL_INVALID")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("SELEC").doesNotContain("\n").doesNotContain("Exception").doesNotContain("at net."));
    }

    @Test
    void refusesMalformedJson() {
        expectRequestInvalid(submit(ACME, "{\"sql\": \"SELECT 1\""), "not valid JSON");
    }

    @Test
    void refusesABodyWithoutSql() {
        expectRequestInvalid(submit(ACME, "{}"), "'sql' is required");
    }

    @Test
    void refusesBlankSql() {
        expectRequestInvalid(submit(ACME, "{\"sql\": \"   \"}"), "'sql' is required");
    }

    @Test
    void refusesSqlThatIsNotAString() {
        expectRequestInvalid(submit(ACME, "{\"sql\": 42}"), "'sql' is required");
    }

    @Test
    void refusesUnknownFields() {
        expectRequestInvalid(submit(ACME, "{\"sql\": \"SELECT 1\", \"priority\": \"high\"}"), "Unknown field 'priority'");
    }

    @Test
    void refusesABodyThatIsNotAnObject() {
        expectRequestInvalid(submit(ACME, "[\"SELECT 1\"]"), "JSON object");
    }

    @Test
    void refusesAnEmptyBody() {
        expectRequestInvalid(client.post().uri("/v1/queries")
                .headers(headers -> {
                    headers.setBearerAuth(tokenFor(ACME));
                    headers.set("X-Tenant-ID", ACME.value());
                    headers.setContentType(MediaType.APPLICATION_JSON);
                })
                .exchange(), "empty");
    }

    @Test
    void refusesSqlLongerThanTheLimit() {
        String longSql = "SELECT 1 --" + "x".repeat(100_000);
        expectRequestInvalid(submit(ACME, "{\"sql\": \"" + longSql + "\"}"), "longer than 100000 characters");
    }

    @Test
    void refusesABodyLargerThanTheLimit() {
        String huge = "{\"sql\": \"SELECT 1 --" + "x".repeat(1_100_000) + "\"}";
        expectRequestInvalid(submit(ACME, huge), "larger than");
    }

    @Test
    void refusesAnUnsupportedContentTypeWithProblemJson() {
        client.post().uri("/v1/queries")
                .headers(headers -> {
                    headers.setBearerAuth(tokenFor(ACME));
                    headers.set("X-Tenant-ID", ACME.value());
                })
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("SELECT 1")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(415)
                .jsonPath("$.code").isEqualTo("REQUEST_INVALID");
    }

    @Test
    void answersServiceUnavailableAndProducesNothingWhenTheJobCannotBeRecorded() {
        jobs.failWith(new IllegalStateException("DynamoDB is down"));

        submit(ACME, "{\"sql\": \"" + QUERY + "\"}")
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.code").isEqualTo("STORAGE_UNAVAILABLE");

        assertThat(queue.requests()).isEmpty();
        assertThat(queue.events()).isEmpty();
    }

    @Test
    void marksTheJobFailedWhenItCannotBeQueued() {
        queue.failWith(new IllegalStateException("broker unreachable"));

        EntityExchangeResult<byte[]> result = submit(ACME, "{\"sql\": \"" + QUERY + "\"}")
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("STORAGE_UNAVAILABLE")
                .returnResult();

        JsonNode problem = json.readTree(result.getResponseBody());
        Job job = jobs.stored(ACME, JobId.of(problem.get("job_id").stringValue())).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.version()).isEqualTo(2);
        assertThat(job.error().code()).isEqualTo("INTERNAL_ERROR");
        assertThat(job.error().message()).isEqualTo("could not enqueue");
    }

    @Test
    void countsSubmissionsByOutcome() {
        double acceptedBefore = count("spectra.gateway.submissions", "accepted");
        double refusedBefore = count("spectra.gateway.submissions", "SQL_NOT_READ_ONLY");
        double unauthenticatedBefore = count("spectra.gateway.submissions", "UNAUTHENTICATED");

        submit(ACME, "{\"sql\": \"SELECT 1\"}").expectStatus().isAccepted();
        submit(ACME, "{\"sql\": \"DELETE FROM sales\"}").expectStatus().isBadRequest();
        client.post().uri("/v1/queries").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"sql\": \"SELECT 1\"}")
                .exchange().expectStatus().isUnauthorized();

        assertThat(count("spectra.gateway.submissions", "accepted")).isEqualTo(acceptedBefore + 1);
        assertThat(count("spectra.gateway.submissions", "SQL_NOT_READ_ONLY")).isEqualTo(refusedBefore + 1);
        assertThat(count("spectra.gateway.submissions", "UNAUTHENTICATED")).isEqualTo(unauthenticatedBefore + 1);
        assertThat(meters.find("spectra.gateway.sql.guard").tag("outcome", "accepted").timer()).isNotNull();
    }

    @Test
    void tagsSubmissionsWithTheAdmittedTenantAndNeverWithAnUnknownTenantsId() {
        double acmeBefore = meters.find("spectra.gateway.submissions").tags("outcome", "accepted", "tenant", ACME.value())
                .counters().stream().mapToDouble(Counter::count).sum();

        submit(ACME, "{\"sql\": \"SELECT 1\"}").expectStatus().isAccepted();
        submit(UNKNOWN, "{\"sql\": \"SELECT 1\"}").expectStatus().is4xxClientError();

        assertThat(meters.get("spectra.gateway.submissions").tags("outcome", "accepted", "tenant", ACME.value()).counter().count())
                .isEqualTo(acmeBefore + 1);
        assertThat(meters.find("spectra.gateway.submissions").meters())
                .as("a tenant id the registry does not know is no tag value")
                .allSatisfy(meter -> assertThat(meter.getId().getTag("tenant")).isNotEqualTo(UNKNOWN.value()))
                .anySatisfy(meter -> assertThat(meter.getId().getTag("tenant")).isEqualTo("none"));
    }

    private static void expectRequestInvalid(WebTestClient.ResponseSpec response,
                                             String detailPart) {
        response.expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("REQUEST_INVALID")
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains(detailPart));
    }
}
