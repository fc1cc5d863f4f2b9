package dev.spectra.common.result;

import static java.util.Objects.requireNonNull;

/**
 * How a result's chunk files are encoded. Every chunk is a file of its own: a CSV chunk starts with its header,
 * a JSON_ARRAY chunk is one array of rows, JSON_LINES one array per line, a Parquet chunk a complete file; a
 * client that concatenates the chunks' rows in index order has the whole result.
 */
public enum ResultFormat {
    /** {@code [[1,"EU"],[2,"US"]]}: the only format served inline. */
    JSON_ARRAY("json", "application/json"),
    /** {@code [1,"EU"]\n[2,"US"]\n}. */
    JSON_LINES("jsonl", "application/x-ndjson"),
    /** RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, a quote or a line break. */
    CSV("csv", "text/csv"),
    /** Typed columns, written by the warehouse's UNLOAD. */
    PARQUET("parquet", "application/vnd.apache.parquet");

    private final String extension;
    private final String mediaType;

    ResultFormat(String extension, String mediaType) {
        this.extension = requireNonNull(extension, "extension is null");
        this.mediaType = requireNonNull(mediaType, "mediaType is null");
    }

    /** A chunk file's extension, without the dot and before any compression's. */
    public String extension() {
        return extension;
    }

    public String mediaType() {
        return mediaType;
    }
}
