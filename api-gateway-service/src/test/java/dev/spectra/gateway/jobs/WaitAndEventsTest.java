package dev.spectra.gateway.jobs;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.gateway.support.GatewayWebTest;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Waits and event streams react to the job's events: the fall-back read is set to 30 s here, so anything that ends
 * within seconds ended on an event.
 */
class WaitAndEventsTest extends GatewayWebTest {

    private static final String RESULT = "{\"columns\":[{\"name\":\"one\",\"type\":\"int4\"}],\"rows\":[[1]],\"row_count\":1}";
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aSubmissionWithAWaitAnswersTheEndedJobWithItsResultInOneRoundTrip() {
        Thread.ofVirtual().start(this::runFirstJobLikeTheWorkers);

        Instant start = Instant.now();
        EntityExchangeResult<byte[]> answer = submit(ACME, "{\"sql\": \"SELECT 1\", \"wait_seconds\": 10}")
                .expectStatus().isOk()
                .expectHeader().exists("Location")
                .expectBody()
                .jsonPath("$.status").isEqualTo("SUCCEEDED")
                .jsonPath("$.result.rows[0][0]").isEqualTo(1)
                .jsonPath("$.result.columns[0].name").isEqualTo("one")
                .returnResult();

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(answer.getResponseBody()).isNotEmpty();
    }

    @Test
    void aWaitThatElapsesAnswers202WithTheJobStillRunning() {
        submit(ACME, "{\"sql\": \"SELECT 1\", \"wait_seconds\": 1}")
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.status").isEqualTo("QUEUED").jsonPath("$.result").doesNotExist();
    }

    @Test
    void aWaitThatElapsesWithCancelEndsTheJobCancelled() {
        submit(ACME, "{\"sql\": \"SELECT 1\", \"wait_seconds\": 1, \"on_wait_timeout\": \"CANCEL\"}")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("CANCELLED").jsonPath("$.error.code").isEqualTo("QUERY_CANCELLED");

        assertThat(jobs.all()).extracting(Job::status).containsExactly(JobStatus.CANCELLED);
        assertThat(queue.events()).extracting(JobEvent::status).containsExactly(JobStatus.QUEUED, JobStatus.CANCELLED);
    }

    @Test
    void aLongPollOnTheStatusAnswersAsSoonAsTheJobEnds() {
        Job job = submitted();
        Thread.ofVirtual().start(() -> {
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
            fail(job);
        });

        get(ACME, "/v1/queries/" + job.jobId() + "?wait_seconds=20")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("FAILED").jsonPath("$.error.code").isEqualTo("QUERY_FAILED");
        get(ACME, "/v1/queries/" + submitted().jobId() + "?wait_seconds=1").expectStatus().isAccepted();
        get(ACME, "/v1/queries/" + job.jobId() + "?wait_seconds=51").expectStatus().isBadRequest();
        get(ACME, "/v1/queries/" + job.jobId() + "?wait_seconds=soon").expectStatus().isBadRequest();
    }

    @Test
    void waitSecondsAndOnWaitTimeoutAreChecked() {
        submit(ACME, "{\"sql\": \"SELECT 1\", \"wait_seconds\": 51}").expectStatus().isBadRequest();
        submit(ACME, "{\"sql\": \"SELECT 1\", \"wait_seconds\": 1.5}").expectStatus().isBadRequest();
        submit(ACME, "{\"sql\": \"SELECT 1\", \"wait_seconds\": 1, \"on_wait_timeout\": \"STOP\"}").expectStatus().isBadRequest();
        submit(ACME, "{\"sql\": \"SELECT 1\", \"on_wait_timeout\": \"CANCEL\"}").expectStatus().isBadRequest();
        assertThat(jobs.all()).isEmpty();
    }

    @Test
    void theEventStreamShowsEveryStateFromTheCurrentOneToTheEnd() {
        Job job = submitted();
        List<ServerSentEvent<Map<String, Object>>> received = new CopyOnWriteArrayList<>();
        Disposable stream = stream(ACME, job.jobId()).subscribe(received::add);
        await().until(() -> received.size() == 1);

        runLikeTheWorkers(job);

        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 4);
        assertThat(received).extracting(event -> event.data().get("status"))
                .containsExactly("QUEUED", "RUNNING", "DELIVERING", "SUCCEEDED");
        assertThat(received).extracting(ServerSentEvent::event).containsOnly("state");
        assertThat(received).extracting(ServerSentEvent::id).containsExactly("1", "2", "3", "4");
        await().until(stream::isDisposed);
    }

    @Test
    void aStreamOfAnEndedJobShowsItsEndingAndCloses() {
        Job job = submitted();
        fail(job);

        List<ServerSentEvent<Map<String, Object>>> received = stream(ACME, job.jobId()).collectList().block(Duration.ofSeconds(5));

        assertThat(received).extracting(event -> event.data().get("status")).containsExactly("FAILED");
        assertThat(received.getFirst().data().get("error_code")).isEqualTo("QUERY_FAILED");
    }

    @Test
    void aTenantHasABoundedNumberOfWatchesAndAnotherTenantIsNotAffected() {
        List<Disposable> open = new ArrayList<>();
        List<ServerSentEvent<Map<String, Object>>> received = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(stream(ACME, submitted().jobId()).subscribe(received::add));
        }
        await().until(() -> received.size() == 3);
        try {
            get(ACME, "/v1/queries/" + submitted().jobId() + "?wait_seconds=5")
                    .expectStatus().isEqualTo(429)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().valueEquals("Retry-After", "1")
                    .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED");
            Job globex = submittedBy(GLOBEX);
            get(GLOBEX, "/v1/queries/" + globex.jobId() + "?wait_seconds=1").expectStatus().isAccepted();
        } finally {
            open.forEach(Disposable::dispose);
        }
        await().untilAsserted(() -> get(ACME, "/v1/queries/" + submitted().jobId() + "?wait_seconds=1").expectStatus().isAccepted());
    }

    @Test
    void anotherTenantsJobHasNoStream() {
        Job job = submitted();

        get(GLOBEX, "/v1/queries/" + job.jobId() + "/events").expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("JOB_NOT_FOUND");
    }

    private Flux<ServerSentEvent<Map<String, Object>>> stream(TenantId tenant, JobId jobId) {
        return client.get().uri("/v1/queries/" + jobId + "/events")
                .header("Authorization", "Bearer " + tokenFor(tenant)).header("X-Tenant-ID", tenant.value())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {})
                .getResponseBody()
                .filter(event -> event.data() != null);
    }

    private Job submitted() {
        return submittedBy(ACME);
    }

    private Job submittedBy(TenantId tenant) {
        clock.advance(Duration.ofMillis(10));
        byte[] body = submit(tenant, "{\"sql\": \"SELECT 1\"}").expectStatus().isAccepted().expectBody().returnResult().getResponseBody();
        return jobs.stored(tenant, JobId.of(json.readTree(body).get("job_id").stringValue())).orElseThrow();
    }

    /** Waits for the first job to be recorded, then runs it as {@link #runLikeTheWorkers(Job)} does. */
    private void runFirstJobLikeTheWorkers() {
        await().until(() -> !jobs.all().isEmpty());
        runLikeTheWorkers(jobs.all().getFirst());
    }

    /** RUNNING, DELIVERING, SUCCEEDED with a one-row result on the item: each written, then announced. */
    private void runLikeTheWorkers(Job queued) {
        Job running = write(queued, queued.transitionTo(JobStatus.RUNNING, clock.instant()).withStatementId("s-1", clock.instant()));
        Job delivering = write(running, running.transitionTo(JobStatus.DELIVERING, clock.instant()).withRowCount(1));
        write(delivering, delivering.succeeded(1, RESULT, clock.instant()));
    }

    private void fail(Job queued) {
        write(queued, queued.endWith(JobStatus.FAILED, JobError.of(ErrorCode.QUERY_FAILED, "division by zero"), clock.instant()));
    }

    private Job write(Job current, Job next) {
        Job written = jobs.replace(current, next).block();
        events.accept(JobEvent.of(written));
        return written;
    }

}
