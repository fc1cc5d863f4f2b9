package dev.spectra.local.dataapi;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** One GetStatementResult page; {@code nextToken} is null on the last page. */
record ResultPage(List<ResultColumn> columns, List<List<FieldValue>> rows, long totalNumRows, String nextToken) {

    ResultPage {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        rows = List.copyOf(requireNonNull(rows, "rows is null"));
    }
}
