package dev.spectra.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalS3Test {

    @TempDir
    Path temp;

    @Test
    void theResultsBucketExpiresTenantObjectsADayAfterTheirJob() throws IOException {
        try (LocalS3 localS3 = LocalS3.start(TestRepository.root().resolve("local-stack/target/runtime/s3mock.jar"),
                Files.createDirectories(temp.resolve("s3")), temp.resolve("s3mock.log"));
             S3Client s3 = LocalAws.s3(localS3.endpoint())) {

            List<LifecycleRule> rules = s3.getBucketLifecycleConfiguration(b -> b.bucket(LocalS3.RESULTS_BUCKET)).rules();

            assertThat(rules).singleElement().satisfies(rule -> {
                assertThat(rule.id()).isEqualTo(LocalS3.RESULTS_LIFECYCLE_RULE);
                assertThat(rule.status()).isEqualTo(ExpirationStatus.ENABLED);
                assertThat(rule.filter().prefix()).isEqualTo("tenant=");
                assertThat(rule.expiration().days()).isEqualTo(8);
            });
        }
    }
}
