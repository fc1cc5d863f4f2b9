package dev.spectra.gateway.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.result.ResultManifest;

import java.util.List;

/**
 * The JSON the results endpoints answer. An inline answer's {@code rows} are not here: they are streamed after
 * the members below ({@link ResultReader}), followed by {@code row_count} (manifest) and {@code next_chunk}.
 */
final class ResultDocuments {

    private ResultDocuments() {}

    /** {@code GET /v1/queries/{id}/results}. */
    @JsonPropertyOrder({"job_id", "disposition", "format", "compression", "columns", "total_row_count", "total_byte_count",
            "truncated", "chunk_count", "chunks"})
    record Manifest(
            @JsonProperty("job_id") String jobId,
            @JsonProperty("disposition") Disposition disposition,
            @JsonProperty("format") ResultFormat format,
            @JsonProperty("compression") Compression compression,
            @JsonProperty("columns") List<ResultManifest.Column> columns,
            @JsonProperty("total_row_count") long totalRowCount,
            @JsonProperty("total_byte_count") long totalByteCount,
            @JsonProperty("truncated") boolean truncated,
            @JsonProperty("chunk_count") int chunkCount,
            @JsonProperty("chunks") List<Chunk> chunks) {
    }

    /**
     * One chunk, in a manifest's list and as {@code GET /v1/queries/{id}/results/chunks/{index}}; never its key.
     *
     * @param externalLink a presigned GET of the chunk file (EXTERNAL_LINKS only)
     * @param expiresAt    when that link stops working, an ISO-8601 instant
     * @param nextChunk    the path of the next chunk's answer (chunk answers only, when there is a next chunk)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"index", "row_offset", "row_count", "byte_count", "external_link", "expires_at", "next_chunk"})
    record Chunk(
            @JsonProperty("index") int index,
            @JsonProperty("row_offset") long rowOffset,
            @JsonProperty("row_count") long rowCount,
            @JsonProperty("byte_count") long byteCount,
            @JsonProperty("external_link") String externalLink,
            @JsonProperty("expires_at") String expiresAt,
            @JsonProperty("next_chunk") String nextChunk) {

        static Chunk of(ResultManifest.Chunk chunk) {
            return new Chunk(chunk.index(), chunk.rowOffset(), chunk.rowCount(), chunk.byteCount(), null, null, null);
        }

        Chunk withLink(SignedLink link) {
            return new Chunk(index, rowOffset, rowCount, byteCount, link.url().toString(), link.expiresAt().toString(), nextChunk);
        }

        Chunk withNext(String path) {
            return new Chunk(index, rowOffset, rowCount, byteCount, externalLink, expiresAt, path);
        }
    }
}
