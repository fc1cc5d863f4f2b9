package dev.spectra.cli;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** An inline result saved with {@code --out}: one JSON array per row and line, values exactly as the API sent them. */
final class JsonLinesSink implements RowSink {

    private final Writer out;

    JsonLinesSink(Writer out) {
        this.out = requireNonNull(out, "out is null");
    }

    @Override
    public void start(List<ResultColumn> columns) {
        // The file holds rows only, as the API's JSON_LINES exports do.
    }

    @Override
    public void row(JsonNode row) throws IOException {
        out.write(row.toString());
        out.write('\n');
    }

    @Override
    public void finish() throws IOException {
        out.flush();
    }
}
