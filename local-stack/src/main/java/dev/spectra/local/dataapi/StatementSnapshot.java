package dev.spectra.local.dataapi;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** A consistent view of one statement at one moment, for DescribeStatement and ListStatements. */
record StatementSnapshot(
        String id,
        long sequence,
        String queryString,
        List<SqlParameter> parameters,
        WarehouseTarget target,
        String sessionId,
        String statementName,
        Instant createdAt,
        StatementStatus status,
        Instant updatedAt,
        long durationNanos,
        String error,
        long redshiftPid,
        long redshiftQueryId,
        boolean hasResultSet,
        long resultRows,
        long resultSize) {

    StatementSnapshot {
        requireNonNull(id, "id is null");
        requireNonNull(queryString, "queryString is null");
        parameters = List.copyOf(parameters);
        requireNonNull(target, "target is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(status, "status is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }
}
