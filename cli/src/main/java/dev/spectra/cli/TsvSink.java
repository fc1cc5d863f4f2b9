package dev.spectra.cli;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Tab-separated values for scripts: a header line of the column names, then one line per row as it arrives; NULL
 * is an empty field. Nothing is held back, so a large result streams.
 */
final class TsvSink implements RowSink {

    private final Writer out;

    TsvSink(Writer out) {
        this.out = requireNonNull(out, "out is null");
    }

    @Override
    public void start(List<ResultColumn> columns) throws IOException {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.write('\t');
            }
            out.write(CellText.escapedForTsv(columns.get(i).name()));
        }
        out.write('\n');
    }

    @Override
    public void row(JsonNode row) throws IOException {
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) {
                out.write('\t');
            }
            String text = CellText.of(row.get(i));
            if (text != null) {
                out.write(CellText.escapedForTsv(text));
            }
        }
        out.write('\n');
    }

    @Override
    public void finish() throws IOException {
        out.flush();
    }
}
