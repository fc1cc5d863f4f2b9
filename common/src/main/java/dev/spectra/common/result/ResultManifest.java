package dev.spectra.common.result;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A delivered result: its columns and its chunk files. Stored as JSON beside the chunks in the results bucket
 * ({@code tenant=<id>/job=<id>/<delivery>/manifest.json}), never on the job item, whose size must not grow with
 * the result; the job carries its {@link ResultSummary}. Written by the delivery worker, read by the gateway.
 *
 * @param disposition    as delivered: INLINE or EXTERNAL_LINKS, never AUTO
 * @param totalByteCount the chunk files' sizes added up, as stored (compressed when they are)
 * @param truncated      whether the result was cut at the request's row or byte limit
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResultManifest(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("disposition") Disposition disposition,
        @JsonProperty("format") ResultFormat format,
        @JsonProperty("compression") Compression compression,
        @JsonProperty("columns") List<Column> columns,
        @JsonProperty("total_row_count") long totalRowCount,
        @JsonProperty("total_byte_count") long totalByteCount,
        @JsonProperty("truncated") boolean truncated,
        @JsonProperty("chunks") List<Chunk> chunks) {

    public static final int SCHEMA_VERSION = 1;
    /** The manifest's object name inside a delivery's folder. */
    public static final String FILE_NAME = "manifest.json";

    public ResultManifest {
        requireNonNull(disposition, "disposition is null");
        requireNonNull(format, "format is null");
        requireNonNull(compression, "compression is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        chunks = List.copyOf(requireNonNull(chunks, "chunks is null"));
        if (disposition == Disposition.AUTO) {
            throw new IllegalArgumentException("a delivered result is INLINE or EXTERNAL_LINKS, not AUTO");
        }
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).index() != i) {
                throw new IllegalArgumentException("chunk " + i + " has index " + chunks.get(i).index());
            }
        }
    }

    /**
     * @param type the warehouse's type name ({@code varchar}, {@code int8}, {@code numeric})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Column(@JsonProperty("name") String name, @JsonProperty("type") String type) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /**
     * One chunk file.
     *
     * @param rowOffset the result's row number of the chunk's first row, from 0
     * @param byteCount the file's size as stored
     * @param key       the object's key in the results bucket; never shown to clients
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Chunk(
            @JsonProperty("index") int index,
            @JsonProperty("row_offset") long rowOffset,
            @JsonProperty("row_count") long rowCount,
            @JsonProperty("byte_count") long byteCount,
            @JsonProperty("key") String key) {
        public Chunk {
            requireNonNull(key, "key is null");
            if (index < 0 || rowOffset < 0 || rowCount < 0 || byteCount < 0) {
                throw new IllegalArgumentException("a chunk's index, offset and counts are not negative");
            }
        }
    }

    public ResultSummary summary(ResultLocation manifest) {
        return new ResultSummary(disposition, format, compression, totalRowCount, totalByteCount, truncated, chunks.size(), manifest);
    }
}
