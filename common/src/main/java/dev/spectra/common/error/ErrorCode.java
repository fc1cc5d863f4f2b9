package dev.spectra.common.error;

import static dev.spectra.common.error.ErrorCategory.EXTERNAL;
import static dev.spectra.common.error.ErrorCategory.INTERNAL;
import static dev.spectra.common.error.ErrorCategory.USER;

/**
 * Stable error codes. The names are a public contract: clients branch on them and jobs store them,
 * so a code is never renamed, only added.
 */
public enum ErrorCode {
    // Request errors answered by the gateway
    UNAUTHENTICATED(USER, false),
    TENANT_MISMATCH(USER, false),
    TENANT_NOT_ACTIVE(USER, false),
    REQUEST_INVALID(USER, false),
    SQL_INVALID(USER, false),
    SQL_NOT_READ_ONLY(USER, false),
    SQL_MULTIPLE_STATEMENTS(USER, false),
    SQL_FORBIDDEN_OBJECT(USER, false),
    SQL_FORBIDDEN_FUNCTION(USER, false),
    JOB_NOT_FOUND(USER, false),
    RESULT_NOT_READY(USER, false),
    RESULT_EXPIRED(USER, false),
    RATE_LIMITED(USER, true),
    PARAMETER_INVALID(USER, false),
    PAGE_TOKEN_INVALID(USER, false),
    JOB_ALREADY_ENDED(USER, false),
    IDEMPOTENCY_KEY_REUSED(USER, false),

    // Outcomes stored on jobs
    QUERY_FAILED(USER, false),
    QUERY_CANCELLED(USER, false),
    QUERY_TIMED_OUT(USER, false),
    RESULT_TOO_LARGE(USER, false),
    WAREHOUSE_UNAVAILABLE(EXTERNAL, true),
    STORAGE_UNAVAILABLE(EXTERNAL, true),
    INTERNAL_ERROR(INTERNAL, false);

    private final ErrorCategory category;
    private final boolean retryable;

    ErrorCode(ErrorCategory category, boolean retryable) {
        this.category = category;
        this.retryable = retryable;
    }

    public ErrorCategory category() {
        return category;
    }

    public boolean retryable() {
        return retryable;
    }
}
