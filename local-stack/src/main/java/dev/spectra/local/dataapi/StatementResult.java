package dev.spectra.local.dataapi;

import java.io.IOException;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A finished statement's result set: its columns in memory, its rows spooled to a file until the statement
 * is forgotten.
 *
 * @param sizeBytes the result's size as the Data API counts it (DescribeStatement's ResultSize)
 * @param format    how the result is fetched: GetStatementResult for JSON, GetStatementResultV2 for CSV
 */
record StatementResult(List<ResultColumn> columns, SpooledRows rows, long sizeBytes, ResultFormat format) {

    StatementResult {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        requireNonNull(rows, "rows is null");
        requireNonNull(format, "format is null");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes is negative");
        }
    }

    int rowCount() {
        return rows.rowCount();
    }

    /** What keeping this result costs: the bytes of its file. */
    long retainedBytes() {
        return rows.fileBytes();
    }

    int pageCount() {
        return rows.pageCount();
    }

    List<List<FieldValue>> page(int page) throws IOException {
        return rows.page(page);
    }

    void discard() {
        rows.delete();
    }
}
