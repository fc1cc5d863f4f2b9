package dev.spectra.common.aws;

import dev.spectra.common.error.ErrorCode;

import static java.util.Objects.requireNonNull;

/**
 * An AWS service the workers call, and the code a job ends with when that service stays unavailable.
 * The classifier needs to know which one failed: DynamoDB and the Data API share error codes
 * ({@code ValidationException}, {@code ResourceNotFoundException}) that mean different things.
 */
public enum Dependency {
    /** The Redshift Data API. */
    WAREHOUSE("the warehouse (Redshift Data API)", ErrorCode.WAREHOUSE_UNAVAILABLE),
    /** The job table in DynamoDB. */
    STORAGE("the job store (DynamoDB)", ErrorCode.STORAGE_UNAVAILABLE),
    /** The results bucket in S3. */
    RESULTS("the result store (S3)", ErrorCode.STORAGE_UNAVAILABLE);

    private final String description;
    private final ErrorCode unavailable;

    Dependency(String description, ErrorCode unavailable) {
        this.description = requireNonNull(description, "description is null");
        this.unavailable = requireNonNull(unavailable, "unavailable is null");
    }

    /** How a message to a tenant names the service. */
    public String description() {
        return description;
    }

    public ErrorCode unavailable() {
        return unavailable;
    }
}
