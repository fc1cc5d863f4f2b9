package dev.spectra.queryworker.config;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import static java.util.Objects.requireNonNull;

/**
 * Where the warehouse unloads results that are exported as files (Parquet always, and CSV asked as links
 * without a byte limit; see {@code DeliveryOptions.unloaded()}).
 *
 * @param bucket        the results bucket, default {@code spectra-results}; UNLOAD writes under
 *                      {@code tenant=<id>/job=<id>/unload/}
 * @param unloadIamRole the IAM role ARN the cluster assumes to write there ({@code IAM_ROLE}); no default, since
 *                      it names an account. Absent, the worker still starts and runs every other job, and a job
 *                      that needs UNLOAD fails with INTERNAL_ERROR, logged as this setting missing
 * @param maxFileSize   UNLOAD's {@code MAXFILESIZE}, whole megabytes from 5MB to 6.2GB (Redshift's bounds),
 *                      default 128MB: files a client downloads in one request
 */
@Validated
@ConfigurationProperties("spectra.results")
public record ResultsProperties(
        @DefaultValue("spectra-results") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") String bucket,
        @Pattern(regexp = "arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}") String unloadIamRole,
        @DefaultValue("128MB") DataSize maxFileSize) {

    private static final DataSize SMALLEST_FILE = DataSize.ofMegabytes(5);
    /** 6.2 GB, in whole megabytes. */
    private static final DataSize LARGEST_FILE = DataSize.ofMegabytes(6348);

    public ResultsProperties {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(maxFileSize, "maxFileSize is null");
        if (unloadIamRole != null && unloadIamRole.isBlank()) {
            unloadIamRole = null;
        }
        if (maxFileSize.toBytes() % DataSize.ofMegabytes(1).toBytes() != 0
                || maxFileSize.compareTo(SMALLEST_FILE) < 0 || maxFileSize.compareTo(LARGEST_FILE) > 0) {
            throw new IllegalArgumentException("spectra.results.max-file-size must be whole megabytes from 5MB to 6.2GB: "
                    + maxFileSize);
        }
    }
}
