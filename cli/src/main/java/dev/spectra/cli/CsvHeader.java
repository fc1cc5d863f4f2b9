package dev.spectra.cli;

import java.io.IOException;
import java.io.InputStream;

/**
 * Every CSV chunk file of an export starts with the header record (UNLOAD writes HEADER into each file, and the
 * delivery worker does the same); the concatenation keeps the first file's and drops the others'.
 */
final class CsvHeader {

    private CsvHeader() {}

    /**
     * Reads past the first record: up to and including the first line feed outside double quotes, so a quoted
     * column name with a line break in it is still one record. Answers the bytes skipped.
     */
    static long skip(InputStream in) throws IOException {
        boolean quoted = false;
        long skipped = 0;
        int next;
        while ((next = in.read()) != -1) {
            skipped++;
            if (next == '"') {
                quoted = !quoted; // a doubled quote inside a quoted field toggles twice
            } else if (next == '\n' && !quoted) {
                break;
            }
        }
        return skipped;
    }
}
