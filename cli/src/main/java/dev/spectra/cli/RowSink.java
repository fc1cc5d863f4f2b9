package dev.spectra.cli;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.List;

/** Where an inline result's rows go, in order: once the columns, then each row (a JSON array), then the end. */
interface RowSink {

    void start(List<ResultColumn> columns) throws IOException;

    void row(JsonNode row) throws IOException;

    void finish() throws IOException;
}
