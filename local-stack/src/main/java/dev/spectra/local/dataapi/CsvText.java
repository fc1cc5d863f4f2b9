package dev.spectra.local.dataapi;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * CSV as Redshift writes it, for GetStatementResultV2's {@code CSVRecords} and UNLOAD's {@code FORMAT CSV}:
 * RFC 4180 fields separated by commas, each record ended by LF; a field holding a comma, a double quote, CR
 * or LF is quoted, its quotes doubled. NULL is an empty unquoted field and an empty string is {@code ""}, so
 * the two stay apart (Redshift's CSV default {@code NULL AS ''}).
 *
 * <p>Values are the server's text (a CSV statement's rows are read with {@code getString}), so booleans are
 * {@code t} and {@code f}, as Redshift prints them in query output and UNLOAD's text and CSV files, dates
 * {@code 2024-01-31} and timestamps {@code 2024-01-31 10:15:00}. Binary values are hex, as Redshift prints
 * VARBYTE.
 */
final class CsvText {

    private static final HexFormat HEX = HexFormat.of();

    private CsvText() {}

    /** The header record: the columns' names. */
    static String header(List<ResultColumn> columns) {
        StringBuilder line = new StringBuilder();
        for (int index = 0; index < columns.size(); index++) {
            if (index > 0) {
                line.append(',');
            }
            appendField(line, columns.get(index).name());
        }
        return line.append('\n').toString();
    }

    static String record(List<FieldValue> row) {
        StringBuilder line = new StringBuilder();
        appendRecord(line, row);
        return line.toString();
    }

    static void appendRecord(StringBuilder line, List<FieldValue> row) {
        for (int index = 0; index < row.size(); index++) {
            if (index > 0) {
                line.append(',');
            }
            appendValue(line, row.get(index));
        }
        line.append('\n');
    }

    /** Bytes of the record in UTF-8, without building a second copy of it. */
    static long recordBytes(FieldValue[] row) {
        StringBuilder line = new StringBuilder();
        appendRecord(line, List.of(row));
        return utf8Length(line);
    }

    static long utf8Length(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static void appendValue(StringBuilder line, FieldValue value) {
        switch (value) {
            case FieldValue.Null ignored -> { }
            case FieldValue.StringValue text -> appendField(line, text.value());
            case FieldValue.LongValue number -> line.append(number.value());
            case FieldValue.DoubleValue number -> line.append(number.value());
            case FieldValue.BooleanValue flag -> line.append(flag.value() ? 't' : 'f');
            case FieldValue.BlobValue blob -> line.append(HEX.formatHex(blob.value()));
        }
    }

    private static void appendField(StringBuilder line, String field) {
        if (field.isEmpty()) {
            line.append("\"\"");
            return;
        }
        if (!needsQuotes(field)) {
            line.append(field);
            return;
        }
        line.append('"');
        for (int index = 0; index < field.length(); index++) {
            char c = field.charAt(index);
            if (c == '"') {
                line.append('"');
            }
            line.append(c);
        }
        line.append('"');
    }

    private static boolean needsQuotes(String field) {
        for (int index = 0; index < field.length(); index++) {
            char c = field.charAt(index);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }
}
