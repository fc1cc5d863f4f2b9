package dev.spectra.local.dataapi;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** A finished statement's result set, held in memory until the statement is evicted. */
record StatementResult(List<ResultColumn> columns, List<List<FieldValue>> rows, long sizeBytes) {

    StatementResult {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        rows = List.copyOf(requireNonNull(rows, "rows is null"));
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes is negative");
        }
    }
}
