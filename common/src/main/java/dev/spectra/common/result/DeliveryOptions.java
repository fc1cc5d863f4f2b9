package dev.spectra.common.result;

import static java.util.Objects.requireNonNull;

/**
 * What a client asked of its result at submission. The gateway refuses combinations that cannot be
 * delivered, with the same rules as this constructor, so a stored job always holds valid options.
 *
 * @param rowLimit  at most this many rows are delivered; the result is then marked truncated. Null for no limit
 * @param byteLimit at most this many encoded bytes (uncompressed) are delivered, cut at a row's end; the result
 *                  is then marked truncated. Null for none (the tenant's {@code max_result_bytes} still applies,
 *                  failing the job instead of cutting it)
 */
public record DeliveryOptions(Disposition disposition, ResultFormat format, Compression compression, Long rowLimit, Long byteLimit) {

    public static final DeliveryOptions DEFAULT = new DeliveryOptions(Disposition.AUTO, ResultFormat.JSON_ARRAY, Compression.NONE, null, null);

    public DeliveryOptions {
        requireNonNull(disposition, "disposition is null");
        requireNonNull(format, "format is null");
        requireNonNull(compression, "compression is null");
        String problem = problemWith(disposition, format, compression, rowLimit, byteLimit);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Why these options cannot be delivered, in words for the client (naming the request's fields); null when
     * they can.
     */
    public static String problemWith(Disposition disposition, ResultFormat format, Compression compression, Long rowLimit,
            Long byteLimit) {
        if (rowLimit != null && rowLimit < 1) {
            return "Field 'row_limit' must be a positive integer.";
        }
        if (byteLimit != null && byteLimit < 1) {
            return "Field 'byte_limit' must be a positive integer.";
        }
        if (disposition == Disposition.INLINE && format != ResultFormat.JSON_ARRAY) {
            return "Disposition INLINE delivers only format JSON_ARRAY; use EXTERNAL_LINKS or AUTO for " + format + ".";
        }
        if (disposition == Disposition.INLINE && compression != Compression.NONE) {
            return "Disposition INLINE is not compressed; 'compression' applies to EXTERNAL_LINKS files.";
        }
        if (format == ResultFormat.PARQUET && compression != Compression.NONE) {
            return "Format PARQUET compresses its columns itself; 'compression' must be NONE.";
        }
        if (format == ResultFormat.PARQUET && byteLimit != null) {
            return "Format PARQUET cannot be cut at a byte count; use 'row_limit'.";
        }
        return null;
    }

    /**
     * Whether the warehouse writes the files itself ({@code UNLOAD ... TO 's3://...'}) instead of the delivery
     * worker paging the result out of the Data API. Parquet always is; a CSV export asked for as links is too,
     * since UNLOAD has no result-size cap and writes from every slice at once. A byte limit needs the Data API:
     * only the delivery worker can cut at a row's end.
     */
    public boolean unloaded() {
        return format == ResultFormat.PARQUET
                || (format == ResultFormat.CSV && disposition == Disposition.EXTERNAL_LINKS && byteLimit == null);
    }

    /**
     * Whether the statement runs with the Data API's {@code ResultFormat: CSV} and its result is read with
     * GetStatementResultV2: a CSV result the warehouse does not unload. The warehouse's own CSV text is passed
     * through, so a CSV export reads the same whichever way it went (booleans {@code t}/{@code f}, LF line ends).
     */
    public boolean csvFromDataApi() {
        return format == ResultFormat.CSV && !unloaded();
    }

    /** Whether a result may be served inline: asked for (INLINE or AUTO) in the one inline format. */
    public boolean mayBeInline() {
        return disposition != Disposition.EXTERNAL_LINKS && format == ResultFormat.JSON_ARRAY;
    }
}
