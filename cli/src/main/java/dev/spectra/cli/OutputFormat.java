package dev.spectra.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code --format} asks for. {@code json} is the API's default: rows inline in the answers, printed or written as
 * JSON Lines. The others are exports: the warehouse or the delivery worker writes files, downloaded through presigned
 * links, so they need {@code --out}.
 */
enum OutputFormat {
    JSON("json", null),
    CSV("csv", "CSV"),
    JSONL("jsonl", "JSON_LINES"),
    PARQUET("parquet", "PARQUET");

    private final String flag;
    private final String apiFormat;

    OutputFormat(String flag, String apiFormat) {
        this.flag = flag;
        this.apiFormat = apiFormat;
    }

    String flag() {
        return flag;
    }

    /** The request's {@code format} for an export; {@code null} leaves the API's default (inline JSON_ARRAY). */
    String apiFormat() {
        return apiFormat;
    }

    boolean isExport() {
        return apiFormat != null;
    }

    static OutputFormat ofFlag(String value) {
        for (OutputFormat format : values()) {
            if (format.flag.equals(value.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new UsageException("--format takes " + Arrays.stream(values()).map(OutputFormat::flag).collect(Collectors.joining(", "))
                + ", not '" + value + "'");
    }
}
