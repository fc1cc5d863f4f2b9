package dev.spectra.local;

import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** S3Mock's executable jar, run as a child process with its own store under the run folder. */
public final class LocalS3 implements AutoCloseable {

    public static final String RESULTS_BUCKET = "spectra-results";

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
                s3.createBucket(request -> request.bucket(RESULTS_BUCKET));
            }
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new LocalS3(process, endpoint);
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.close();
    }
}
