package dev.spectra.local.dataapi;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** One ListStatements page, newest first; {@code nextToken} is null on the last page. */
record StatementPage(List<StatementSnapshot> statements, String nextToken) {

    StatementPage {
        statements = List.copyOf(requireNonNull(statements, "statements is null"));
    }
}
