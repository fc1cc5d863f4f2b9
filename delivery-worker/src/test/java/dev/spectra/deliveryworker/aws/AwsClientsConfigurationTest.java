package dev.spectra.deliveryworker.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spectra.common.aws.AwsCallMetrics;
import dev.spectra.common.aws.AwsProperties;
import dev.spectra.common.aws.AwsService;
import dev.spectra.deliveryworker.config.DeliveryProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.BlockingOutputStreamAsyncRequestBody;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AwsClientsConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(AwsClientsConfiguration.class, Binding.class)
            .withSystemProperties("aws.accessKeyId=id", "aws.secretAccessKey=secret");
    /** The requests the fake results bucket answered: method, path and query. */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer bucket;

    @EnableConfigurationProperties(DeliveryProperties.class)
    static class Binding {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @AfterEach
    void stopBucket() {
        if (bucket != null) {
            bucket.stop(0);
        }
    }

    @Test
    void pointsClientsAtOverriddenEndpoints() {
        context.withPropertyValues(
                        "spectra.aws.region=eu-west-1",
                        "spectra.aws.endpoints.dynamodb=http://localhost:8000",
                        "spectra.aws.endpoints.s3=http://localhost:9090",
                        "spectra.aws.endpoints.redshift-data=http://localhost:8089",
                        "spectra.aws.s3-path-style=true")
                .run(context -> {
                    assertThat(context.getBean(RedshiftDataClient.class).serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://localhost:8089"));
                    assertThat(context.getBean(DynamoDbClient.class).serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://localhost:8000"));
                    assertThat(context.getBean(S3AsyncClient.class).serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://localhost:9090"));
                    assertThat(context.getBean(S3AsyncClient.class).serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
                });
    }

    @Test
    void usesRegionalEndpointsByDefault() {
        context.withPropertyValues("spectra.aws.region=us-east-1").run(context -> {
            assertThat(context.getBean(RedshiftDataClient.class).serviceClientConfiguration().endpointOverride()).isEmpty();
            assertThat(context.getBean(RedshiftDataClient.class).serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
        });
    }

    @Test
    void onlyTheResultsBucketsClientRetriesAndEveryClientIsBoundedAndTimed() {
        context.withPropertyValues("spectra.aws.region=us-east-1").run(context -> {
            ClientOverrideConfiguration dataApi = context.getBean(RedshiftDataClient.class).serviceClientConfiguration().overrideConfiguration();
            ClientOverrideConfiguration dynamoDb = context.getBean(DynamoDbClient.class).serviceClientConfiguration().overrideConfiguration();
            ClientOverrideConfiguration s3 = context.getBean(S3AsyncClient.class).serviceClientConfiguration().overrideConfiguration();

            assertThat(dataApi.retryStrategy()).hasValueSatisfying(strategy -> assertThat(strategy.maxAttempts()).isEqualTo(1));
            assertThat(dynamoDb.retryStrategy()).hasValueSatisfying(strategy -> assertThat(strategy.maxAttempts()).isEqualTo(1));
            assertThat(s3.retryStrategy()).hasValueSatisfying(strategy -> assertThat(strategy.maxAttempts()).isGreaterThan(1));
            expectTimeoutsAndMetrics(dataApi, AwsService.REDSHIFT_DATA);
            expectTimeoutsAndMetrics(dynamoDb, AwsService.DYNAMODB);
            expectTimeoutsAndMetrics(s3, AwsService.S3);
        });
    }

    @Test
    void applicationYmlListsTheBuiltInDefaults() throws IOException {
        MutablePropertySources sources = new MutablePropertySources();
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml")).forEach(sources::addLast);

        assertThat(new Binder(ConfigurationPropertySources.from(sources)).bindOrCreate(AwsProperties.PREFIX, AwsProperties.class))
                .isEqualTo(AwsProperties.defaults());
    }

    /**
     * A result streams into the bucket as fast as its pages come from the Data API, for as long as that takes: the
     * S3 timeouts bound each call of the multipart upload (a buffered part), never the whole upload.
     */
    @Test
    void uploadsAStreamThatTakesLongerThanTheS3CallTimeout() {
        startBucket();
        context.withPropertyValues("spectra.aws.region=us-east-1",
                        "spectra.aws.endpoints.s3=http://127.0.0.1:" + bucket.getAddress().getPort(),
                        "spectra.aws.s3-path-style=true",
                        "spectra.aws.api-call-timeout.s3=2s",
                        "spectra.aws.api-call-attempt-timeout.s3=2s",
                        "spectra.delivery.upload-part-size=5MB")
                .run(context -> {
                    S3AsyncClient s3 = context.getBean(S3AsyncClient.class);
                    // The first call loads the HTTP client and signer: on a busy machine that alone can take a second.
                    s3.putObject(request -> request.bucket("spectra-results").key("tenant=acme/warm"), AsyncRequestBody.fromString("warm"))
                            .get(30, TimeUnit.SECONDS);
                    BlockingOutputStreamAsyncRequestBody body = AsyncRequestBody.forBlockingOutputStream(null);
                    CompletableFuture<PutObjectResponse> stored = s3.putObject(request -> request.bucket("spectra-results").key("tenant=acme/r.csv"), body);
                    long started = System.nanoTime();
                    // 12MB in three parts, each filled in about 2.5s: the stream takes three times as long as a whole call may
                    // (one call's 2s leaves room for a part's PUT on a busy machine)
                    byte[] slice = new byte[512 * 1024];
                    try (OutputStream out = body.outputStream()) {
                        for (int i = 0; i < 24; i++) {
                            out.write(slice);
                            TimeUnit.MILLISECONDS.sleep(250);
                        }
                    }
                    stored.get(30, TimeUnit.SECONDS);

                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThan(4000);
                    assertThat(requests).anyMatch(request -> request.startsWith("POST") && request.contains("uploads"))
                            .anyMatch(request -> request.startsWith("PUT") && request.contains("partNumber=3"))
                            .anyMatch(request -> request.startsWith("POST") && request.contains("uploadId="));
                });
    }

    private static void expectTimeoutsAndMetrics(ClientOverrideConfiguration override, AwsService service) {
        assertThat(override.apiCallTimeout()).contains(service.defaultApiCallTimeout());
        assertThat(override.apiCallAttemptTimeout()).contains(service.defaultApiCallAttemptTimeout());
        assertThat(override.executionInterceptors()).hasAtLeastOneElementOfType(AwsCallMetrics.class);
    }

    /** Answers S3's multipart calls (create, part, complete) and plain puts, keeping nothing. */
    private void startBucket() {
        try {
            bucket = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        bucket.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        bucket.createContext("/", this::answer);
        bucket.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + "?" + query);
        String body = "";
        if (exchange.getRequestMethod().equals("POST") && query.startsWith("uploads")) {
            body = "<InitiateMultipartUploadResult><Bucket>spectra-results</Bucket><Key>tenant=acme/r.csv</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>";
        } else if (exchange.getRequestMethod().equals("POST")) {
            body = "<CompleteMultipartUploadResult><Bucket>spectra-results</Bucket><Key>tenant=acme/r.csv</Key><ETag>\"e\"</ETag></CompleteMultipartUploadResult>";
        }
        exchange.getResponseHeaders().set("ETag", "\"e\"");
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
