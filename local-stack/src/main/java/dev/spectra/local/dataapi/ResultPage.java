package dev.spectra.local.dataapi;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One GetStatementResult or GetStatementResultV2 page; {@code nextToken} is null on the last page.
 *
 * @param first whether this is the result's first page, which in CSV starts with the header record
 */
record ResultPage(List<ResultColumn> columns, List<List<FieldValue>> rows, long totalNumRows, String nextToken,
                  boolean first) {

    ResultPage {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        rows = List.copyOf(requireNonNull(rows, "rows is null"));
    }
}
