package dev.spectra.cli;

import dev.spectra.cli.FakeGateway.Request;
import dev.spectra.cli.FakeGateway.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.spectra.cli.FakeGateway.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FakeGateway fake = new FakeGateway();
    private final RecordedPauses pauses = new RecordedPauses();
    private final GatewayClient gateway = fake.client(pauses);

    GatewayClientTest() throws IOException {}

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ObjectNode body() {
        return SubmissionBody.of(QueryOptions.parse(List.of("SELECT 1")), JSON);
    }

    @Test
    void submitsWithTheTenantsHeadersAndTheIdempotencyKey() throws Exception {
        fake.on("POST", "/v1/queries", Response.json(202, job("j1", "QUEUED")));

        Job submitted = gateway.submit(body(), "key-1");

        assertThat(submitted).isEqualTo(new Job("j1", JobStatus.QUEUED, null, null));
        Request post = fake.requests().getFirst();
        assertThat(post.header("Authorization")).isEqualTo("Bearer " + FakeGateway.TOKEN);
        assertThat(post.header("X-Tenant-ID")).isEqualTo("acme");
        assertThat(post.header("Content-Type")).isEqualTo("application/json");
        assertThat(post.header("Idempotency-Key")).isEqualTo("key-1");
        assertThat(JSON.readTree(post.body())).isEqualTo(JSON.readTree("{\"sql\": \"SELECT 1\", \"wait_seconds\": 0}"));
    }

    @Test
    void aRateLimitedSubmissionIsSentAgainAfterRetryAfterWithTheSameKey() throws Exception {
        Response limited = Response.problem(429, "RATE_LIMITED", "slow down").withHeader("Retry-After", "2");
        fake.on("POST", "/v1/queries", limited, limited, Response.json(202, job("j1", "QUEUED")));

        Job submitted = gateway.submit(body(), "key-1");

        assertThat(submitted.jobId()).isEqualTo("j1");
        assertThat(fake.requests("POST", "/v1/queries")).hasSize(3).extracting(request -> request.header("Idempotency-Key"))
                .containsOnly("key-1");
        assertThat(pauses.pauses()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void aRateLimitThatOutlastsFiveRetriesIsTheProblemItself() {
        fake.on("POST", "/v1/queries", Response.problem(429, "RATE_LIMITED", "slow down").withHeader("Retry-After", "1"));

        assertThatThrownBy(() -> gateway.submit(body(), "key-1"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().code()).isEqualTo("RATE_LIMITED"));
        assertThat(fake.requests()).hasSize(1 + GatewayClient.RATE_LIMIT_RETRIES);
    }

    @Test
    void aServerErrorIsRetriedAndThenReportedAsAServerProblem() {
        fake.on("POST", "/v1/queries", Response.problem(503, "STORAGE_UNAVAILABLE", "try again"));

        assertThatThrownBy(() -> gateway.submit(body(), "key-1"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(ExitCode.of(e.problem())).isEqualTo(ExitCode.UNAVAILABLE));
        assertThat(fake.requests()).hasSize(1 + GatewayClient.SERVER_ERROR_RETRIES);
    }

    @Test
    void aClientErrorIsNotRetried() {
        fake.on("POST", "/v1/queries", Response.problem(400, "SQL_NOT_READ_ONLY", "Only read-only queries are allowed"));

        assertThatThrownBy(() -> gateway.submit(body(), "key-1")).isInstanceOf(ProblemException.class)
                .hasMessage("SQL_NOT_READ_ONLY: Only read-only queries are allowed");
        assertThat(fake.requests()).hasSize(1);
        assertThat(pauses.pauses()).isEmpty();
    }

    @Test
    void aGatewayThatRefusesConnectionsIsTriedThreeMoreTimesThenUnavailable() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        GatewayClient unreachable = new GatewayClient(HttpClient.newHttpClient(), new Connection(closed, "acme", FakeGateway.TOKEN), JSON, pauses);

        assertThatThrownBy(() -> unreachable.submit(body(), "key-1"))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining(closed.toString())
                .message().doesNotContain(FakeGateway.TOKEN);
        assertThat(pauses.pauses()).hasSize(GatewayClient.CONNECTION_RETRIES);
    }

    @Test
    void pollsWithAFiveSecondWaitAndReadsTheRowCountAndTheError() throws Exception {
        fake.on("GET", "/v1/queries/j1",
                Response.json(202, "{\"job_id\":\"j1\",\"status\":\"DELIVERING\",\"row_count\":120000}"),
                Response.json(200, "{\"job_id\":\"j1\",\"status\":\"FAILED\",\"error\":{\"code\":\"QUERY_FAILED\",\"message\":\"division by zero\"}}"));

        assertThat(gateway.poll("j1")).isEqualTo(new Job("j1", JobStatus.DELIVERING, 120000L, null));
        assertThat(gateway.poll("j1").error()).isEqualTo(new Job.Error("QUERY_FAILED", "division by zero"));
        assertThat(fake.requests()).extracting(Request::query).containsOnly("wait_seconds=5");
    }

    @Test
    void aCancelAnswersCancelledOrAlreadyEnded() throws Exception {
        fake.on("POST", "/v1/queries/j1/cancel", Response.json(200, job("j1", "CANCELLED")),
                Response.problem(409, "JOB_ALREADY_ENDED", "The job has already ended."));

        assertThat(gateway.cancel("j1")).isEqualTo(GatewayClient.Cancellation.CANCELLED);
        assertThat(gateway.cancel("j1")).isEqualTo(GatewayClient.Cancellation.ALREADY_ENDED);
        assertThat(fake.requests()).extracting(request -> request.header("X-Tenant-ID")).containsOnly("acme");
    }

    @Test
    void downloadsALinkWithoutTheGatewaysHeaders() throws Exception {
        fake.on("GET", "/bucket/chunk-00000.csv", Response.bytes("a,b\n1,2\n"));

        String body = gateway.download(fake.url("/bucket/chunk-00000.csv?X-Amz-Signature=abc"), in -> new String(in.readAllBytes()));

        assertThat(body).isEqualTo("a,b\n1,2\n");
        Request download = fake.requests().getFirst();
        assertThat(download.header("Authorization")).isNull();
        assertThat(download.header("X-Tenant-ID")).isNull();
        assertThat(download.query()).isEqualTo("X-Amz-Signature=abc");
    }

    @Test
    void aRefusedDownloadDoesNotRepeatTheSignedLink() {
        fake.on("GET", "/bucket/chunk-00000.csv", new Response(403, Map.of(), "<Error>Request has expired</Error>".getBytes()));

        assertThatThrownBy(() -> gateway.download(fake.url("/bucket/chunk-00000.csv?X-Amz-Signature=secret-signature"), in -> null))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(403))
                .message().doesNotContain("secret-signature");
    }
}
