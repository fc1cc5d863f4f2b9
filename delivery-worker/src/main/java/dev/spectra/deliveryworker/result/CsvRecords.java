package dev.spectra.deliveryworker.result;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the Data API's CSV text ({@code CSVRecords} of a GetStatementResultV2 page) into records, each with its
 * line end: a record ends at a line break outside quotes (LF, or CRLF), so a quoted field may hold line breaks. A
 * page never splits a record; text that ends inside quotes or without a line end is refused.
 */
final class CsvRecords {

    private CsvRecords() {}

    static List<String> split(String text) {
        List<String> records = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                // A doubled quote inside a quoted field toggles twice: it stays quoted.
                quoted = !quoted;
            } else if (c == '\n' && !quoted) {
                records.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (quoted || start != text.length()) {
            throw new IllegalStateException("the Data API's CSV text ends inside a record");
        }
        return records;
    }
}
