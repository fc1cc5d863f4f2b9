package dev.spectra.common.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real DynamoDB client against a small HTTP server that answers as DynamoDB does, or fails as it can. */
class AwsCallMetricsTest {

    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("id", "secret"));
    private static final AwsRegionProvider NO_CHAIN = () -> {
        throw new AssertionError("the region is configured");
    };
    private static final GetItemRequest GET = GetItemRequest.builder().tableName("spectra-jobs")
            .key(Map.of("job_id", AttributeValue.fromS("j"))).build();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** What the server answers next, one per request; empty means a found item. */
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private HttpServer server;

    private record Answer(int status, String body) {
        static final Answer HANG = new Answer(0, "");
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stopServer() {
        released.countDown();
        server.stop(0);
    }

    @Test
    void timesASuccessfulCallByServiceAndOperation() {
        try (DynamoDbClient client = client(Retries.BY_CALLER)) {
            client.getItem(GET);
        }

        assertThat(timer("GetItem", "success").count()).isEqualTo(1);
        assertThat(timer("GetItem", "success").getId().getTag("service")).isEqualTo("dynamodb");
    }

    @Test
    void tellsThrottlingFromOtherClientErrors() {
        answers.add(error(400, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded."));
        answers.add(error(400, "ConditionalCheckFailedException", "The conditional request failed"));

        try (DynamoDbClient client = client(Retries.BY_CALLER)) {
            assertThatThrownBy(() -> client.getItem(GET)).isInstanceOf(SdkException.class);
            assertThatThrownBy(() -> client.getItem(GET)).isInstanceOf(SdkException.class);
        }

        assertThat(timer("GetItem", "throttled").count()).isEqualTo(1);
        assertThat(timer("GetItem", "client_error").count()).isEqualTo(1);
    }

    @Test
    void countsAServerError() {
        answers.add(error(500, "InternalServerError", "Internal server error"));

        try (DynamoDbClient client = client(Retries.BY_CALLER)) {
            assertThatThrownBy(() -> client.getItem(GET)).isInstanceOf(SdkException.class);
        }

        assertThat(timer("GetItem", "server_error").count()).isEqualTo(1);
    }

    @Test
    void countsAnAttemptThatTimedOut() {
        answers.add(Answer.HANG);

        try (DynamoDbClient client = client(Retries.BY_CALLER)) {
            assertThatThrownBy(() -> client.getItem(GET)).isInstanceOf(SdkException.class);
        }

        Timer timedOut = timer("GetItem", "timeout");
        assertThat(timedOut.count()).isEqualTo(1);
        assertThat(timedOut.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void countsAConnectionThatFailed() throws IOException {
        URI closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        try (DynamoDbClient client = client(closedPort, Retries.BY_CALLER)) {
            assertThatThrownBy(() -> client.getItem(GET)).isInstanceOf(SdkException.class);
        }

        assertThat(timer("GetItem", "io_error").count()).isEqualTo(1);
    }

    @Test
    void timesTheSdksRetriesAsOneCall() {
        answers.add(error(500, "InternalServerError", "Internal server error"));

        try (DynamoDbClient client = client(Retries.BY_SDK)) {
            client.getItem(GET);
        }

        assertThat(timer("GetItem", "success").count()).isEqualTo(1);
        assertThat(meters.find(AwsCallMetrics.METRIC).tag("outcome", "server_error").timer()).isNull();
    }

    @Test
    void publishesFixedBucketsForPercentilesAcrossInstances() {
        try (DynamoDbClient client = client(Retries.BY_CALLER)) {
            client.getItem(GET);
        }

        assertThat(timer("GetItem", "success").takeSnapshot().histogramCounts()).hasSize(AwsCallMetrics.BUCKETS.length);
    }

    private Timer timer(String operation, String outcome) {
        Timer timer = meters.find(AwsCallMetrics.METRIC).tag("operation", operation).tag("outcome", outcome).timer();
        assertThat(timer).as("%s{operation=%s,outcome=%s} in %s", AwsCallMetrics.METRIC, operation, outcome, meters.getMetersAsString()).isNotNull();
        return timer;
    }

    private DynamoDbClient client(Retries retries) {
        return client(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), retries);
    }

    private DynamoDbClient client(URI endpoint, Retries retries) {
        AwsProperties properties = new AwsProperties("us-east-1", Map.of(AwsService.DYNAMODB, endpoint), false,
                Map.of(AwsService.DYNAMODB, Duration.ofSeconds(5)), Map.of(AwsService.DYNAMODB, Duration.ofMillis(200)));
        return new AwsClients(properties, NO_CHAIN, CREDENTIALS, meters).configure(DynamoDbClient.builder(), AwsService.DYNAMODB, retries).build();
    }

    private static Answer error(int status, String type, String message) {
        return new Answer(status, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"" + message + "\"}");
    }

    private void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        Answer answer;
        synchronized (answers) {
            answer = answers.isEmpty() ? new Answer(200, "{\"Item\":{\"job_id\":{\"S\":\"j\"}}}") : answers.poll();
        }
        if (answer == Answer.HANG) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
