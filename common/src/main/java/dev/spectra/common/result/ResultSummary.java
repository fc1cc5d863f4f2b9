package dev.spectra.common.result;

import static java.util.Objects.requireNonNull;

/**
 * What the job item and the SUCCEEDED event say of a delivered result: small and of fixed size, whatever the
 * result's. The columns and chunks are in the {@link ResultManifest} at {@code manifest}.
 *
 * @param byteCount the chunk files' total size as stored
 * @param manifest  where the manifest is; null when the whole result is on the job item (a result small enough
 *                  to skip the results bucket, delivered inline as one chunk)
 */
public record ResultSummary(
        Disposition disposition,
        ResultFormat format,
        Compression compression,
        long rowCount,
        long byteCount,
        boolean truncated,
        int chunkCount,
        ResultLocation manifest) {

    public ResultSummary {
        requireNonNull(disposition, "disposition is null");
        requireNonNull(format, "format is null");
        requireNonNull(compression, "compression is null");
        if (disposition == Disposition.AUTO) {
            throw new IllegalArgumentException("a delivered result is INLINE or EXTERNAL_LINKS, not AUTO");
        }
        if (rowCount < 0 || byteCount < 0 || chunkCount < 0) {
            throw new IllegalArgumentException("counts are not negative");
        }
        if (manifest == null && (disposition != Disposition.INLINE || chunkCount != 1)) {
            throw new IllegalArgumentException("only a one-chunk inline result lives on the job item without a manifest");
        }
    }

    /** A result held whole on the job item: one inline JSON_ARRAY chunk of {@code bytes}. */
    public static ResultSummary onItem(long rows, long bytes, boolean truncated) {
        return new ResultSummary(Disposition.INLINE, ResultFormat.JSON_ARRAY, Compression.NONE, rows, bytes, truncated, 1, null);
    }

    public boolean onItem() {
        return manifest == null;
    }
}
