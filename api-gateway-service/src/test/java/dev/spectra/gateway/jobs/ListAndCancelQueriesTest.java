package dev.spectra.gateway.jobs;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.gateway.support.GatewayWebTest;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.spectra.gateway.support.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

class ListAndCancelQueriesTest extends GatewayWebTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void pagesThroughTheTenantsOwnJobsNewestFirstWithoutDuplicatesOrGaps() {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            submitted.add(storedJobOf(ACME, i).value());
            storedJobOf(GLOBEX, i);
        }

        List<String> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = list(ACME, "/v1/queries?limit=10" + (token == null ? "" : "&page_token=" + token));
            page.get("jobs").forEach(job -> listed.add(job.get("job_id").stringValue()));
            token = page.has("next_page_token") ? page.get("next_page_token").stringValue() : null;
            pages++;
        } while (token != null);

        assertThat(listed).isEqualTo(submitted.reversed());
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void filtersByStatusNameAndTag() {
        String daily = submittedJobId("{\"sql\": \"SELECT 1\", \"name\": \"daily\", \"tags\": {\"team\": \"finance\"}}");
        clock.advance(Duration.ofMillis(5));
        submittedJobId("{\"sql\": \"SELECT 2\", \"name\": \"daily\", \"tags\": {\"team\": \"ops\"}}");
        clock.advance(Duration.ofMillis(5));
        String other = submittedJobId("{\"sql\": \"SELECT 3\"}");
        cancel(ACME, other).expectStatus().isOk();

        assertThat(ids(list(ACME, "/v1/queries?name=daily&tag=team:finance"))).containsExactly(daily);
        assertThat(ids(list(ACME, "/v1/queries?status=CANCELLED"))).containsExactly(other);
        assertThat(ids(list(ACME, "/v1/queries?status=QUEUED,RUNNING&tag=team:ops"))).hasSize(1);
    }

    @Test
    void aTamperedTokenATokenOfAnotherTenantOrOfOtherFiltersIsRefused() {
        for (int i = 0; i < 3; i++) {
            storedJobOf(ACME, i);
            storedJobOf(GLOBEX, i);
        }
        String token = list(ACME, "/v1/queries?limit=1").get("next_page_token").stringValue();
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

        expectPageTokenInvalid(get(ACME, "/v1/queries?limit=1&page_token=" + tampered));
        expectPageTokenInvalid(get(GLOBEX, "/v1/queries?limit=1&page_token=" + token));
        expectPageTokenInvalid(get(ACME, "/v1/queries?limit=1&status=QUEUED&page_token=" + token));
        expectPageTokenInvalid(get(ACME, "/v1/queries?page_token=not-a-token"));
        get(ACME, "/v1/queries?limit=1&page_token=" + token).expectStatus().isOk();
    }

    @Test
    void anUnknownOrMalformedListParameterIsRefused() {
        get(ACME, "/v1/queries?stauts=FAILED").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("'stauts'"));
        get(ACME, "/v1/queries?status=DONE").expectStatus().isBadRequest();
        get(ACME, "/v1/queries?limit=0").expectStatus().isBadRequest();
        get(ACME, "/v1/queries?limit=501").expectStatus().isBadRequest();
        get(ACME, "/v1/queries?submitted_after=yesterday").expectStatus().isBadRequest();
    }

    @Test
    void cancellingAQueuedJobEndsItCancelledAndTellsTheWorkers() {
        String jobId = submittedJobId("{\"sql\": \"SELECT 1\"}");
        double endedBefore = endedCancelled();

        cancel(ACME, jobId).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("CANCELLED")
                .jsonPath("$.error.code").isEqualTo("QUERY_CANCELLED");

        Job stored = jobs.stored(ACME, JobId.of(jobId)).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(stored.lease()).isNull();
        assertThat(queue.events()).extracting(JobEvent::status).containsExactly(JobStatus.QUEUED, JobStatus.CANCELLED);
        assertThat(endedCancelled()).as("spectra.jobs.ended, counted by the gateway that stored the end").isEqualTo(endedBefore + 1);
        assertThat(meters.get("spectra.jobs.end_to_end").tags("tenant", ACME.value(), "status", "CANCELLED").timer().count())
                .isPositive();
    }

    private double endedCancelled() {
        Counter ended = meters.find("spectra.jobs.ended").tags("tenant", ACME.value(), "status", "CANCELLED", "code", "QUERY_CANCELLED")
                .counter();
        return ended == null ? 0 : ended.count();
    }

    @Test
    void deleteIsTheSameCancel() {
        String jobId = submittedJobId("{\"sql\": \"SELECT 1\"}");

        client.delete().uri("/v1/queries/" + jobId)
                .header("Authorization", "Bearer " + tokenFor(ACME)).header("X-Tenant-ID", ACME.value())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("CANCELLED");
    }

    @Test
    void cancellingAJobThatEndedIsAConflictNamingItsState() {
        Job failed = aQueuedJob().forTenant(ACME).failed(ErrorCode.QUERY_FAILED, "division by zero");
        jobs.save(failed);

        cancel(ACME, failed.jobId().value()).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("JOB_ALREADY_ENDED")
                .jsonPath("$.job_status").isEqualTo("FAILED");
    }

    @Test
    void cancellingAnotherTenantsJobIsTheSameNotFoundAsAnUnknownId() {
        String jobId = submittedJobId("{\"sql\": \"SELECT 1\"}");

        cancel(GLOBEX, jobId).expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("JOB_NOT_FOUND");
        cancel(GLOBEX, JobId.random().value()).expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("JOB_NOT_FOUND");
        assertThat(jobs.stored(ACME, JobId.of(jobId)).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void aCancelThatLosesTheRaceToAWorkerIsRetriedOnTheJobAsItNowStands() {
        String jobId = submittedJobId("{\"sql\": \"SELECT 1\"}");
        jobs.beforeNextReplace(job -> job.transitionTo(JobStatus.RUNNING, clock.instant()));

        cancel(ACME, jobId).expectStatus().isOk();

        Job stored = jobs.stored(ACME, JobId.of(jobId)).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(stored.version()).isEqualTo(3);
    }

    private WebTestClient.ResponseSpec cancel(dev.spectra.common.tenant.TenantId tenant, String jobId) {
        return client.post().uri("/v1/queries/" + jobId + "/cancel")
                .header("Authorization", "Bearer " + tokenFor(tenant)).header("X-Tenant-ID", tenant.value())
                .exchange();
    }

    private String submittedJobId(String body) {
        byte[] answer = submit(ACME, body).expectStatus().isAccepted().expectBody().returnResult().getResponseBody();
        return json.readTree(answer).get("job_id").stringValue();
    }

    /** A QUEUED job of {@code tenant}, the {@code n}th of a series a second apart. */
    private JobId storedJobOf(dev.spectra.common.tenant.TenantId tenant, int n) {
        java.time.Instant at = clock.instant().minusSeconds(1000).plusSeconds(n);
        JobId id = JobId.createdAt(at);
        jobs.save(aQueuedJob().forTenant(tenant).withId(id).submittedAt(at).queued());
        return id;
    }

    private JsonNode list(dev.spectra.common.tenant.TenantId tenant, String path) {
        return json.readTree(get(tenant, path).expectStatus().isOk().expectBody().returnResult().getResponseBody());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("jobs").forEach(job -> ids.add(job.get("job_id").stringValue()));
        return ids;
    }

    private static void expectPageTokenInvalid(WebTestClient.ResponseSpec response) {
        response.expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("PAGE_TOKEN_INVALID");
    }
}
