package dev.spectra.gateway.docs;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The result's manifest ({@code GET /v1/queries/{id}/results}) and one chunk ({@code .../chunks/{index}}), for the
 * OpenAPI document; {@code ResultReader} streams them, rows straight from storage.
 */
public final class ResultDocument {

    private ResultDocument() {}

    @Schema(name = "ResultManifest", description = "The whole result: its columns and chunks. An inline result also carries "
            + "chunk 0's `rows`, `row_count` and, when there are more chunks, `next_chunk`.")
    public record Manifest(
            @JsonProperty("job_id") @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String jobId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Disposition disposition,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) ResultFormat format,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Compression compression,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Column> columns,
            @JsonProperty("total_row_count") @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long totalRowCount,
            @JsonProperty("total_byte_count") @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long totalByteCount,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Cut at row_limit, byte_limit or the tenant's limit")
            boolean truncated,
            @JsonProperty("chunk_count") @Schema(requiredMode = Schema.RequiredMode.REQUIRED) int chunkCount,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Chunk> chunks,
            @ArraySchema(arraySchema = @Schema(description = "Inline only: chunk 0's rows, each an array of the columns' values"),
                    schema = @Schema(type = "array")) List<List<Object>> rows,
            @JsonProperty("row_count") @Schema(description = "Inline only: rows in this answer") Long rowCount,
            @JsonProperty("next_chunk") @Schema(description = "The path of the next chunk, when there is one") String nextChunk) {
    }

    @Schema(name = "ResultColumn")
    public record Column(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String name,
                         @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The warehouse's type") String type) {
    }

    @Schema(name = "ResultChunk", description = "One chunk: its rows (inline) or a presigned link to its file (export), signed "
            + "afresh on every request")
    public record Chunk(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) int index,
            @JsonProperty("row_offset") @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long rowOffset,
            @JsonProperty("row_count") @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long rowCount,
            @JsonProperty("byte_count") @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long byteCount,
            @JsonProperty("external_link") @Schema(description = "Export only: a presigned GET", format = "uri") String externalLink,
            @JsonProperty("expires_at") @Schema(description = "Export only: when the link stops working", format = "date-time")
            String expiresAt,
            @ArraySchema(arraySchema = @Schema(description = "Inline only (chunk answers): the chunk's rows"),
                    schema = @Schema(type = "array")) List<List<Object>> rows,
            @JsonProperty("next_chunk") @Schema(description = "The path of the next chunk, when there is one") String nextChunk) {
    }
}
