package dev.spectra.cli;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An aligned table for a person at a terminal: a header row, a separator line, then the rows; numeric columns
 * right-aligned, NULL shown as {@code NULL}, line breaks and tabs shown escaped so a row stays one line, and values
 * longer than {@link #MAX_WIDTH} cut with an ellipsis. Alignment needs every width, so the rows are held until the end
 * (an inline result is bounded by the gateway's inline limit).
 */
final class TableSink implements RowSink {

    static final int MAX_WIDTH = 40;
    static final String NULL = "NULL";
    private static final String ELLIPSIS = "…";
    private static final String COLUMN_SEPARATOR = " | ";

    private final Writer out;
    private List<ResultColumn> columns = List.of();
    private final List<String[]> cells = new ArrayList<>();
    /** Per column: some value was a JSON number, and none was anything else but NULL. */
    private boolean[] sawNumber;
    private boolean[] sawOther;

    TableSink(Writer out) {
        this.out = requireNonNull(out, "out is null");
    }

    @Override
    public void start(List<ResultColumn> columns) {
        this.columns = List.copyOf(columns);
        sawNumber = new boolean[columns.size()];
        sawOther = new boolean[columns.size()];
    }

    @Override
    public void row(JsonNode row) {
        String[] texts = new String[columns.size()];
        for (int i = 0; i < texts.length; i++) {
            JsonNode value = row.get(i);
            String text = CellText.of(value);
            if (text != null) {
                if (value.isNumber()) {
                    sawNumber[i] = true;
                } else {
                    sawOther[i] = true;
                }
            }
            texts[i] = text == null ? NULL : fitted(text);
        }
        cells.add(texts);
    }

    @Override
    public void finish() throws IOException {
        int[] widths = new int[columns.size()];
        String[] header = new String[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            header[i] = fitted(columns.get(i).name());
            widths[i] = width(header[i]);
        }
        for (String[] row : cells) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], width(row[i]));
            }
        }
        line(header, widths);
        StringBuilder separator = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            separator.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.write(separator.append('\n').toString());
        for (String[] row : cells) {
            line(row, widths);
        }
        out.flush();
    }

    private void line(String[] texts, int[] widths) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < texts.length; i++) {
            String padding = " ".repeat(widths[i] - width(texts[i]));
            boolean last = i == texts.length - 1;
            line.append(i == 0 ? "" : COLUMN_SEPARATOR);
            if (sawNumber[i] && !sawOther[i]) {
                line.append(padding).append(texts[i]);
            } else {
                line.append(texts[i]).append(last ? "" : padding);
            }
        }
        out.write(line.append('\n').toString());
    }

    /** The text as one line of at most {@link #MAX_WIDTH} characters. */
    static String fitted(String text) {
        String oneLine = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
        if (width(oneLine) <= MAX_WIDTH) {
            return oneLine;
        }
        return oneLine.substring(0, oneLine.offsetByCodePoints(0, MAX_WIDTH - 1)) + ELLIPSIS;
    }

    private static int width(String text) {
        return text.codePointCount(0, text.length());
    }
}
