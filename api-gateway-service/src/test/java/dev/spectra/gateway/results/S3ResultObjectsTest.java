package dev.spectra.gateway.results;

import com.sun.net.httpserver.HttpServer;
import dev.spectra.common.job.JobId;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultManifest;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.common.aws.AwsClients;
import dev.spectra.common.aws.AwsProperties;
import dev.spectra.common.aws.AwsService;
import dev.spectra.gateway.aws.AwsClientConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real SDK client and presigner. Signing is checked offline, at the signer (S3Mock does not check
 * signatures); reading runs against a small HTTP server that answers as S3 does.
 */
class S3ResultObjectsTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final JobId JOB = JobId.random();
    private static final String FOLDER = ResultLocation.jobPrefix(TenantId.of("acme"), JOB) + "d1/";
    private static final ResultLocation CHUNK = new ResultLocation("spectra-results", FOLDER + "part-00000.csv.gz");

    private final Map<String, byte[]> bucket = new ConcurrentHashMap<>();
    private HttpServer server;
    private S3AsyncClient s3;
    private S3Presigner presigner;

    @AfterEach
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (presigner != null) {
            presigner.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void signsALinkToTheEndpointBucketAndKeyValidForTheTtl() {
        S3ResultObjects objects = objects(URI.create("http://127.0.0.1:9090"), 4096);
        Instant before = Instant.now().minusSeconds(1);

        SignedLink link = objects.sign(CHUNK, Duration.ofMinutes(15));

        Map<String, String> query = query(link.url());
        assertThat(link.url().getScheme()).isEqualTo("http");
        assertThat(link.url().getHost()).isEqualTo("127.0.0.1");
        assertThat(link.url().getPort()).isEqualTo(9090);
        assertThat(link.url().getPath()).isEqualTo("/spectra-results/" + CHUNK.key());
        assertThat(query).containsEntry("X-Amz-Expires", "900")
                .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
                .containsKey("X-Amz-Signature");
        assertThat(query.get("X-Amz-Credential")).startsWith("AKIDEXAMPLE/").endsWith("/eu-central-1/s3/aws4_request");
        assertThat(signedAt(link.url())).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(link.expiresAt()).isEqualTo(signedAt(link.url()).plusSeconds(900));
    }

    @Test
    void withALinkEndpointTheLinkPointsThereWhileTheGatewayReadsFromItsOwnEndpoint() {
        start();
        bucket.put("/spectra-results/" + CHUNK.key(), "a,b\n".getBytes(StandardCharsets.UTF_8));
        S3ResultObjects objects = objects(endpoint(), 4096, Duration.ofSeconds(5), Duration.ofSeconds(2),
                Optional.of(URI.create("http://localhost:9091")));

        SignedLink link = objects.sign(CHUNK, Duration.ofMinutes(15));

        assertThat(link.url().getHost()).isEqualTo("localhost");
        assertThat(link.url().getPort()).isEqualTo(9091);
        assertThat(link.url().getPath()).isEqualTo("/spectra-results/" + CHUNK.key());
        assertThat(query(link.url())).containsKey("X-Amz-Signature");
        Integer readByTheGateway = DataBufferUtils.join(objects.content(CHUNK)).map(buffer -> buffer.readableByteCount())
                .block(Duration.ofSeconds(10));
        assertThat(readByTheGateway).as("bytes the gateway read from its own endpoint").isEqualTo(4);
    }

    @Test
    void aLinkPastItsTtlIsRefusedByTheSigner() {
        S3ResultObjects objects = objects(URI.create("http://127.0.0.1:9090"), 4096);

        SignedLink link = objects.sign(CHUNK, Duration.ofSeconds(1));

        // The SDK's presigner signs at the system time and takes no clock; the check runs on fixed clocks around
        // the expiry the link itself carries, which is what S3 compares with its own time.
        Instant signedAt = signedAt(link.url());
        assertThat(acceptedAt(link.url(), Clock.fixed(signedAt, ZoneOffset.UTC))).isTrue();
        assertThat(acceptedAt(link.url(), Clock.fixed(signedAt.plusSeconds(1), ZoneOffset.UTC))).isTrue();
        assertThat(acceptedAt(link.url(), Clock.fixed(signedAt.plusSeconds(2), ZoneOffset.UTC))).isFalse();
        assertThat(link.expiresAt()).isEqualTo(signedAt.plusSeconds(1));
        assertThatThrownBy(() -> objects.sign(CHUNK, Duration.ofDays(7).plusSeconds(1)))
                .hasMessageContaining("7 days");
    }

    @Test
    void readsAManifest() {
        start();
        bucket.put("/spectra-results/" + FOLDER + "manifest.json", """
                {"schema_version":1,"disposition":"EXTERNAL_LINKS","format":"CSV","compression":"GZIP",
                 "columns":[{"name":"id","type":"int8"}],"total_row_count":2,"total_byte_count":50,"truncated":false,
                 "chunks":[{"index":0,"row_offset":0,"row_count":2,"byte_count":50,"key":"%s"}],"written_by":"a later worker"}
                """.formatted(CHUNK.key()).getBytes(StandardCharsets.UTF_8));

        StepVerifier.create(objects(endpoint(), 4096).manifest(manifest()))
                .expectNext(new ResultManifest(1, Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.GZIP,
                        List.of(new ResultManifest.Column("id", "int8")), 2, 50, false,
                        List.of(new ResultManifest.Chunk(0, 0, 2, 50, CHUNK.key()))))
                .verifyComplete();
    }

    @Test
    void refusesAManifestLargerThanTheCapUnread() {
        start();
        bucket.put("/spectra-results/" + FOLDER + "manifest.json", ("{\"pad\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8));

        StepVerifier.create(objects(endpoint(), 4096).manifest(manifest()))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ResultObjects.UnreadableManifestException.class)
                        .hasMessageContaining("more than the 4096"))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void refusesAManifestThatIsNotOne() {
        start();
        bucket.put("/spectra-results/" + FOLDER + "manifest.json", "{\"disposition\":\"AUTO\"}".getBytes(StandardCharsets.UTF_8));

        StepVerifier.create(objects(endpoint(), 4096).manifest(manifest()))
                .expectError(ResultObjects.UnreadableManifestException.class)
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void tellsAMissingObjectApart() {
        start();

        StepVerifier.create(objects(endpoint(), 4096).content(CHUNK))
                .expectError(ResultObjects.ObjectMissingException.class)
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void streamsAnObjectsBytes() {
        start();
        byte[] content = ("[" + "[1,\"EU\"],".repeat(20_000) + "[2,\"US\"]]").getBytes(StandardCharsets.UTF_8);
        bucket.put("/spectra-results/" + CHUNK.key(), content);

        byte[] read = DataBufferUtils.join(objects(endpoint(), 4096).content(CHUNK))
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    return bytes;
                })
                .block(Duration.ofSeconds(10));

        assertThat(read).isEqualTo(content);
    }

    @Test
    void streamsAnObjectToASlowReaderPastTheCallAndAttemptTimeouts() {
        start();
        byte[] content = "0123456789abcdef".repeat(256 * 1024).getBytes(StandardCharsets.UTF_8);
        bucket.put("/spectra-results/" + CHUNK.key(), content);
        long started = System.nanoTime();

        byte[] read = DataBufferUtils.join(Flux.from(objects(endpoint(), 4096, Duration.ofMillis(400), Duration.ofMillis(300)).content(CHUNK))
                        .delayElements(Duration.ofMillis(2)))
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    return bytes;
                })
                .block(Duration.ofSeconds(30));

        assertThat(read).isEqualTo(content);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the reader was slower than the call timeout")
                .isGreaterThan(Duration.ofMillis(400));
    }

    private S3ResultObjects objects(URI endpoint, int maxManifestBytes) {
        return objects(endpoint, maxManifestBytes, Duration.ofSeconds(5), Duration.ofSeconds(2));
    }

    /** The gateway's own client and presigner, with these timeouts. */
    private S3ResultObjects objects(URI endpoint, int maxManifestBytes, Duration apiCallTimeout, Duration apiCallAttemptTimeout) {
        return objects(endpoint, maxManifestBytes, apiCallTimeout, apiCallAttemptTimeout, Optional.empty());
    }

    private S3ResultObjects objects(URI endpoint, int maxManifestBytes, Duration apiCallTimeout, Duration apiCallAttemptTimeout,
            Optional<URI> linkEndpoint) {
        AwsProperties properties = new AwsProperties("eu-central-1", Map.of(AwsService.S3, endpoint), true,
                Map.of(AwsService.S3, apiCallTimeout), Map.of(AwsService.S3, apiCallAttemptTimeout));
        AwsClients aws = new AwsClients(properties, () -> {
            throw new AssertionError("the region is configured");
        }, CREDENTIALS, new SimpleMeterRegistry());
        presigner = AwsClientConfiguration.presigner(aws, linkEndpoint);
        s3 = AwsClientConfiguration.s3Client(aws);
        return new S3ResultObjects(s3, presigner, JsonMapper.builder().build(), maxManifestBytes);
    }

    /** Answers GET /bucket/key from {@link #bucket}, and a missing key as S3 does. */
    private void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = bucket.get(URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8));
            if (body == null) {
                byte[] error = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/xml");
                exchange.sendResponseHeaders(404, error.length);
                exchange.getResponseBody().write(error);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static ResultLocation manifest() {
        return new ResultLocation("spectra-results", FOLDER + ResultManifest.FILE_NAME);
    }

    /** What S3 checks of a presigned link's time: it is refused once its own date plus its own expiry has passed. */
    private static boolean acceptedAt(URI link, Clock clock) {
        Instant expiry = signedAt(link).plusSeconds(Long.parseLong(query(link).get("X-Amz-Expires")));
        return !clock.instant().isAfter(expiry);
    }

    private static Instant signedAt(URI link) {
        return AMZ_DATE.parse(query(link).get("X-Amz-Date"), Instant::from);
    }

    private static Map<String, String> query(URI link) {
        return Arrays.stream(link.getRawQuery().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }
}
