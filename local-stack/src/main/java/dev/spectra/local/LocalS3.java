package dev.spectra.local;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * S3Mock's executable jar, run as a child process with its own store under the run folder. The results bucket
 * is created with the lifecycle rule a deployment declares (docs/OPERATIONS.md): objects under {@code tenant=}
 * expire a day after their job does. S3Mock stores and returns the rule but never expires anything; a local
 * run is shorter than a day anyway.
 */
public final class LocalS3 implements AutoCloseable {

    public static final String RESULTS_BUCKET = "spectra-results";
    /** The gateway's {@code spectra.gateway.job-retention} default: how long a job (and its links) is kept. */
    public static final Duration JOB_RETENTION = Duration.ofDays(7);
    /** Results outlive their job by a day, so no link the job still lists can point at a deleted object. */
    public static final int RESULTS_EXPIRE_AFTER_DAYS = (int) JOB_RETENTION.plusDays(1).toDays();
    public static final String RESULTS_LIFECYCLE_RULE = "expire-results-after-job-retention";

    private final ChildProcess process;
    private final URI endpoint;

    private LocalS3(ChildProcess process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static LocalS3 start(Path s3MockJar, Path storeRoot, Path logFile) {
        int port = FreePorts.next();
        ChildProcess process = ChildProcess.start("s3mock",
                List.of(ChildProcess.javaExecutable(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-jar", s3MockJar.toString(),
                        "--server.port=0", "--http.port=" + port, "--server.address=127.0.0.1",
                        "--spring.main.banner-mode=off"),
                Map.of("COM_ADOBE_TESTING_S3MOCK_STORE_ROOT", storeRoot.toString(),
                        "COM_ADOBE_TESTING_S3MOCK_STORE_RETAIN_FILES_ON_EXIT", "false"),
                logFile);
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        try {
            process.awaitReady(endpoint, response -> response.statusCode() == 200, Duration.ofSeconds(60));
            try (S3Client s3 = LocalAws.s3(endpoint)) {
                createResultsBucketIfAbsent(s3);
            }
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new LocalS3(process, endpoint);
    }

    /** The results bucket with its lifecycle rule; an existing bucket only gets the rule (again). */
    static void createResultsBucketIfAbsent(S3Client s3) {
        if (s3.listBuckets().buckets().stream().noneMatch(bucket -> bucket.name().equals(RESULTS_BUCKET))) {
            s3.createBucket(request -> request.bucket(RESULTS_BUCKET));
        }
        s3.putBucketLifecycleConfiguration(request -> request.bucket(RESULTS_BUCKET).lifecycleConfiguration(resultsLifecycle()));
    }

    /** Objects under {@code tenant=} expire {@link #RESULTS_EXPIRE_AFTER_DAYS} days after they were written. */
    public static BucketLifecycleConfiguration resultsLifecycle() {
        return BucketLifecycleConfiguration.builder()
                .rules(LifecycleRule.builder()
                        .id(RESULTS_LIFECYCLE_RULE)
                        .filter(filter -> filter.prefix("tenant="))
                        .status(ExpirationStatus.ENABLED)
                        .expiration(expiration -> expiration.days(RESULTS_EXPIRE_AFTER_DAYS))
                        .build())
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.close();
    }
}
