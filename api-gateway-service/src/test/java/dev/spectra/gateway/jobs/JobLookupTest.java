package dev.spectra.gateway.jobs;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.gateway.support.GatewayWebTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static dev.spectra.gateway.support.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

class JobLookupTest extends GatewayWebTest {

    @Test
    void showsAQueuedJobWithoutTheMembersItHasNoValueFor() {
        Job job = aQueuedJob().forTenant(ACME).queued();
        jobs.save(job);

        get(ACME, "/v1/queries/" + job.jobId())
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().json("""
                        {"job_id": "%s", "status": "QUEUED",
                         "submitted_at": "2026-03-01T10:00:00Z", "updated_at": "2026-03-01T10:00:00Z"}
                        """.formatted(job.jobId()), JsonCompareMode.STRICT);
    }

    @Test
    void showsTheRowCountOfASucceededJob() {
        Job job = aQueuedJob().forTenant(ACME).succeeded(2, "{\"columns\":[],\"rows\":[],\"row_count\":2}");
        jobs.save(job);

        get(ACME, "/v1/queries/" + job.jobId())
                .expectStatus().isOk()
                .expectBody().json("""
                        {"job_id": "%s", "status": "SUCCEEDED", "row_count": 2,
                         "submitted_at": "2026-03-01T10:00:00Z", "updated_at": "2026-03-01T10:00:03Z"}
                        """.formatted(job.jobId()), JsonCompareMode.STRICT);
    }

    @Test
    void showsWhyAJobFailed() {
        Job job = aQueuedJob().forTenant(ACME).failed(ErrorCode.QUERY_FAILED, "relation \"salez\" does not exist");
        jobs.save(job);

        get(ACME, "/v1/queries/" + job.jobId())
                .expectStatus().isOk()
                .expectBody().json("""
                        {"job_id": "%s", "status": "FAILED",
                         "submitted_at": "2026-03-01T10:00:00Z", "updated_at": "2026-03-01T10:00:02Z",
                         "error": {"code": "QUERY_FAILED", "message": "relation \\"salez\\" does not exist"}}
                        """.formatted(job.jobId()), JsonCompareMode.STRICT);
    }

    @Test
    void answersAnotherTenantsJobUnknownJobsAndMalformedIdsAlike() {
        Job globexJob = aQueuedJob().forTenant(GLOBEX).queued();
        jobs.save(globexJob);

        byte[] otherTenants = notFound("/v1/queries/" + globexJob.jobId());
        byte[] unknown = notFound("/v1/queries/" + UUID.randomUUID());
        byte[] malformed = notFound("/v1/queries/not-a-job-id");
        byte[] otherTenantsResults = notFound("/v1/queries/" + globexJob.jobId() + "/results");

        assertThat(new String(otherTenants, StandardCharsets.UTF_8)).contains("\"code\":\"JOB_NOT_FOUND\"");
        assertThat(unknown).isEqualTo(otherTenants);
        assertThat(malformed).isEqualTo(otherTenants);
        assertThat(otherTenantsResults).isEqualTo(otherTenants);
    }

    @Test
    void refusesResultsWhileTheJobIsRunning() {
        Job job = aQueuedJob().forTenant(ACME).submittedAt(clock.instant().minusSeconds(60)).running();
        jobs.save(job);

        get(ACME, "/v1/queries/" + job.jobId() + "/results")
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("RESULT_NOT_READY")
                .jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.job_status").isEqualTo("RUNNING")
                .jsonPath("$.error").doesNotExist();
    }

    @Test
    void refusesResultsOfAFailedJobWithItsError() {
        Job job = aQueuedJob().forTenant(ACME).submittedAt(clock.instant().minusSeconds(60)).failed(ErrorCode.QUERY_TIMED_OUT, "statement timed out after 300s");
        jobs.save(job);

        get(ACME, "/v1/queries/" + job.jobId() + "/results")
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody()
                .jsonPath("$.code").isEqualTo("RESULT_NOT_READY")
                .jsonPath("$.job_status").isEqualTo("FAILED")
                .jsonPath("$.error.code").isEqualTo("QUERY_TIMED_OUT")
                .jsonPath("$.error.message").isEqualTo("statement timed out after 300s");
    }

    @Test
    void answersServiceUnavailableWhenTheStoreCannotBeRead() {
        jobs.failWith(new IllegalStateException("DynamoDB is down"));

        get(ACME, "/v1/queries/" + UUID.randomUUID())
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.code").isEqualTo("STORAGE_UNAVAILABLE");
    }

    private byte[] notFound(String path) {
        return get(ACME, path)
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody();
    }
}
