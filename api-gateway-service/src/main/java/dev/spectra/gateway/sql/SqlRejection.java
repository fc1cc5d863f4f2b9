package dev.spectra.gateway.sql;

import dev.spectra.common.error.ErrorCode;

import static java.util.Objects.requireNonNull;

/** Why the SQL guard refused a text: one of the SQL_* codes and a sentence for the caller. */
public record SqlRejection(ErrorCode code, String detail) {

    public SqlRejection {
        requireNonNull(code, "code is null");
        requireNonNull(detail, "detail is null");
    }
}
