package dev.spectra.deliveryworker.result;

import dev.spectra.common.job.Job;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultManifest;
import dev.spectra.common.result.ResultManifest.Chunk;
import dev.spectra.common.result.ResultManifest.Column;
import dev.spectra.common.result.ResultSummary;
import dev.spectra.deliveryworker.config.DeliveryProperties;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultV2Response;
import software.amazon.awssdk.services.redshiftdata.model.QueryRecords;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

import static java.util.Objects.requireNonNull;

/**
 * Writes one statement's result, read page by page from the Data API, the way its job asked: rows are encoded as
 * they arrive and go to chunk files streamed into the results bucket, cut at the chunk size, so memory holds one
 * page and one upload's buffer whatever the result's size. A small result never reaches the bucket: it is kept
 * whole for the job item.
 *
 * <p>The disposition is decided from the result itself, never by running the query twice: AUTO stays inline while
 * the encoded result is within {@code inline-max-bytes} and becomes EXTERNAL_LINKS the moment it passes it (the
 * chunks written so far stay valid; later ones are cut at the file size). When the warehouse already reported a
 * size beyond the inline limit, AUTO goes to links from the first row. Compression applies to a result exported
 * from the start; one that AUTO moved to links midway keeps its first chunks, and so the whole result, uncompressed.
 *
 * <p>Limits: {@code row_limit} and {@code byte_limit} cut the result at a row's end and mark it truncated; the
 * tenant's {@code max_result_bytes} fails it with RESULT_TOO_LARGE, or, with a byte limit, cuts it there too.
 */
public final class ResultWriter {

    private static final JsonFactory JSON = JsonFactory.builder().disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES).build();

    private final ResultStore store;
    private final JsonMapper json;
    private final long itemMaxBytes;
    private final long inlineMaxBytes;
    private final long inlineChunkBytes;
    private final long fileMaxBytes;
    private final long defaultMaxResultBytes;

    public ResultWriter(ResultStore store, JsonMapper json, DeliveryProperties delivery) {
        this.store = requireNonNull(store, "store is null");
        this.json = requireNonNull(json, "json is null");
        this.itemMaxBytes = delivery.itemMaxBytes().toBytes();
        this.inlineMaxBytes = delivery.inlineMaxBytes().toBytes();
        this.inlineChunkBytes = delivery.inlineChunkBytes().toBytes();
        this.fileMaxBytes = delivery.fileMaxBytes().toBytes();
        this.defaultMaxResultBytes = delivery.maxResultBytes().toBytes();
    }

    /** The result limit that applies to {@code job}: its tenant's, or this worker's default. */
    public long maxResultBytes(Job job) {
        return job.maxResultBytes() != null ? job.maxResultBytes() : defaultMaxResultBytes;
    }

    /**
     * Whether the size the warehouse reported already rules the result out, before any page is read: over the
     * tenant's limit with no limit of the client's that could bring it under.
     */
    public WrittenResult.TooLarge refusedBeforePaging(Job job, long warehouseBytes) {
        DeliveryOptions options = job.delivery();
        long limit = maxResultBytes(job);
        if (warehouseBytes > limit && options.byteLimit() == null && options.rowLimit() == null) {
            return tooLarge("the warehouse reports a result of %d bytes".formatted(warehouseBytes), limit);
        }
        return null;
    }

    /**
     * @param folder    this delivery's folder in the bucket, under the job's prefix, ending in {@code /}
     * @param heartbeat called between pages (the delivery renews its lease there); may throw to stop the writing
     */
    public WrittenResult write(Job job, long warehouseBytes, String folder, Iterator<GetStatementResultResponse> pages,
            Runnable heartbeat) {
        return writePages(job, warehouseBytes, folder, pages, heartbeat, GetStatementResultResponse::columnMetadata,
                (writing, page) -> page.records().stream().allMatch(writing::row));
    }

    /**
     * As {@link #write}, for a statement run with {@code ResultFormat: CSV}: the warehouse's CSV text is passed through
     * record by record (its header, on the first page, replaced by the chunks' own). The first record is taken for the
     * header when it spells the columns' names as the header does.
     */
    public WrittenResult writeCsv(Job job, long warehouseBytes, String folder, Iterator<GetStatementResultV2Response> pages,
            Runnable heartbeat) {
        return writePages(job, warehouseBytes, folder, pages, heartbeat, GetStatementResultV2Response::columnMetadata,
                (writing, page) -> page.records().stream().map(QueryRecords::csvRecords).allMatch(writing::csvText));
    }

    /**
     * Reads pages only while their rows are placed; {@code placeRows} answers false once the result is cut or refused.
     */
    private <P> WrittenResult writePages(Job job, long warehouseBytes, String folder, Iterator<P> pages, Runnable heartbeat,
            Function<P, List<ColumnMetadata>> columnsOf, BiPredicate<Writing, P> placeRows) {
        if (!pages.hasNext()) {
            throw new IllegalStateException("the Data API returned no page at all");
        }
        Writing writing = new Writing(job, warehouseBytes, folder);
        try {
            while (pages.hasNext()) {
                P page = pages.next();
                writing.columns(columnsOf.apply(page));
                if (!placeRows.test(writing, page)) {
                    return writing.finish(true);
                }
                if (pages.hasNext()) {
                    heartbeat.run();
                }
            }
            return writing.finish(false);
        } finally {
            writing.abandonUnfinished();
        }
    }

    private static WrittenResult.TooLarge tooLarge(String what, long limit) {
        return new WrittenResult.TooLarge("%s; this tenant's results may be at most %d bytes (max_result_bytes). "
                .formatted(what, limit) + "Ask for less with LIMIT, or cut the result with 'byte_limit' or 'row_limit'.");
    }

    /** One result being written: the state of the chunk in hand and what the chunks before it held. */
    private final class Writing {
        private final Job job;
        private final DeliveryOptions options;
        private final String folder;
        private final long cutAt;
        private final long failAt;
        private final ByteArrayOutputStream row = new ByteArrayOutputStream(1024);
        private final List<Chunk> chunks = new ArrayList<>();
        private List<Column> columns;
        private RowEncoder encoder;
        private Disposition disposition;
        private Compression compression;
        /** Rows of a result that may still end on the item, before anything went to the bucket. */
        private ByteArrayOutputStream held;
        private ChunkFile chunk;
        private long rows;
        private long bytes;
        private boolean truncated;
        private WrittenResult.TooLarge refused;
        /** Whether the first CSV record, the header when the warehouse sends one, was looked at. */
        private boolean headerSkipped;

        Writing(Job job, long warehouseBytes, String folder) {
            this.job = job;
            this.options = job.delivery();
            this.folder = folder;
            long limit = maxResultBytes(job);
            this.cutAt = options.byteLimit() == null ? Long.MAX_VALUE : Math.min(options.byteLimit(), limit);
            this.failAt = limit;
            boolean inlineFirst = options.mayBeInline()
                    && (options.disposition() == Disposition.INLINE || warehouseBytes <= inlineMaxBytes);
            this.disposition = inlineFirst ? Disposition.INLINE : Disposition.EXTERNAL_LINKS;
            this.compression = inlineFirst ? Compression.NONE : options.compression();
            this.held = inlineFirst ? new ByteArrayOutputStream(8192) : null;
        }

        void columns(List<ColumnMetadata> metadata) {
            if (columns == null) {
                columns = metadata.stream().map(column -> new Column(column.name(), column.typeName())).toList();
                encoder = RowEncoder.of(options.format(), columns);
                // Limits count whole files: the first chunk's framing (a CSV header, brackets) counts too.
                bytes = framing();
            }
        }

        /** Places one row; false once the result is cut (a limit reached) or refused. */
        boolean row(List<Field> record) {
            if (options.rowLimit() != null && rows == options.rowLimit()) {
                truncated = true;
                return false;
            }
            row.reset();
            encoder.encode(record, row);
            return accept();
        }

        /** Places the records of one piece of the warehouse's CSV text, skipping its header; false once cut or refused. */
        boolean csvText(String text) {
            for (String record : CsvRecords.split(text)) {
                if (!headerSkipped) {
                    headerSkipped = true;
                    if (Arrays.equals(record.getBytes(StandardCharsets.UTF_8), encoder.chunkStart())) {
                        continue;
                    }
                }
                if (!csvRecord(record)) {
                    return false;
                }
            }
            return true;
        }

        /** Places one record of the warehouse's CSV text as it is; false once the result is cut or refused. */
        private boolean csvRecord(String record) {
            if (options.rowLimit() != null && rows == options.rowLimit()) {
                truncated = true;
                return false;
            }
            row.reset();
            row.writeBytes(record.getBytes(StandardCharsets.UTF_8));
            return accept();
        }

        /** Places the row in {@link #row}. */
        private boolean accept() {
            long size = row.size() + encoder.separator().length;
            if (bytes + size > cutAt) {
                truncated = true;
                return false;
            }
            if (bytes + size > failAt) {
                refused = tooLarge("the result passed %d bytes".formatted(failAt), failAt);
                return false;
            }
            if (disposition == Disposition.INLINE && bytes + size > inlineMaxBytes) {
                if (options.disposition() == Disposition.INLINE) {
                    refused = new WrittenResult.TooLarge(("the result passed %d bytes, the most delivered inline "
                            + "(disposition INLINE); ask for EXTERNAL_LINKS or AUTO, or cut it with 'byte_limit'").formatted(inlineMaxBytes));
                    return false;
                }
                // AUTO outgrew the inline limit: links from here on; the chunks already written stay as they are.
                disposition = Disposition.EXTERNAL_LINKS;
            }
            if (held != null && disposition == Disposition.INLINE && held.size() + size <= itemMaxBytes) {
                if (rows > 0) {
                    held.writeBytes(encoder.separator());
                }
                held.writeBytes(row.toByteArray());
            } else {
                place();
            }
            rows++;
            bytes += size;
            return true;
        }

        /** The row in hand goes to the chunk in hand, after the rows held so far; a full chunk is closed first. */
        private void place() {
            if (held != null) {
                spillHeld();
            }
            long target = disposition == Disposition.INLINE ? inlineChunkBytes : fileMaxBytes;
            if (chunk != null && chunk.rows > 0 && chunk.uncompressed + row.size() > target) {
                chunks.add(chunk.close());
                chunk = null;
                bytes += framing();
            }
            if (chunk == null) {
                chunk = new ChunkFile(chunks.size(), rows);
            }
            chunk.writeRow(row);
        }

        private long framing() {
            return encoder.chunkStart().length + encoder.chunkEnd().length;
        }

        /** The rows held for the item become the first chunk's: the result goes to the bucket after all. */
        private void spillHeld() {
            byte[] rowsHeld = held.toByteArray();
            held = null;
            chunk = new ChunkFile(0, 0);
            chunk.writeRows(rowsHeld, rows);
        }

        WrittenResult finish(boolean cut) {
            if (refused != null) {
                return refused;
            }
            truncated = truncated || cut;
            if (held != null) {
                String document = document(held);
                if (document.length() <= itemMaxBytes) {
                    return new WrittenResult.OnItem(document, new ResultSummary(Disposition.INLINE,
                            ResultFormat.JSON_ARRAY, Compression.NONE, rows, held.size() + 2, truncated, 1, null));
                }
                // The columns made it too large for the item after all.
                spillHeld();
            }
            if (chunk == null) {
                // No row at all: one empty chunk, so that the result has its one file (a CSV header, an empty array).
                chunk = new ChunkFile(0, 0);
            }
            chunks.add(chunk.close());
            chunk = null;
            long stored = chunks.stream().mapToLong(Chunk::byteCount).sum();
            ResultManifest manifest = new ResultManifest(ResultManifest.SCHEMA_VERSION, disposition, options.format(), compression,
                    columns, rows, stored, truncated, chunks);
            String key = folder + ResultManifest.FILE_NAME;
            store.put(key, json.writeValueAsBytes(manifest), "application/json");
            return new WrittenResult.Stored(manifest.summary(new ResultLocation(store.bucket(), key)));
        }

        /** {@code {"columns":[...],"rows":[...],"row_count":N}}, today's inline document. */
        private String document(ByteArrayOutputStream rowsHeld) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(rowsHeld.size() + 256);
            try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
                generator.writeStartObject();
                generator.writeName("columns");
                generator.writeStartArray();
                for (Column column : columns) {
                    generator.writeStartObject();
                    generator.writeStringProperty("name", column.name());
                    generator.writeStringProperty("type", column.type());
                    generator.writeEndObject();
                }
                generator.writeEndArray();
                generator.writeName("rows");
                generator.writeRawValue("[" + rowsHeld.toString(StandardCharsets.UTF_8) + "]");
                generator.writeNumberProperty("row_count", rows);
                generator.writeEndObject();
            }
            return out.toString(StandardCharsets.UTF_8);
        }

        void abandonUnfinished() {
            if (chunk != null) {
                chunk.abort();
                chunk = null;
            }
        }

        /** One chunk file being uploaded. */
        private final class ChunkFile {
            private final int index;
            private final long rowOffset;
            private final String key;
            private final ResultStore.Upload upload;
            private final OutputStream out;
            private long rows;
            private long uncompressed;

            ChunkFile(int index, long rowOffset) {
                this.index = index;
                this.rowOffset = rowOffset;
                this.key = folder + "chunk-%05d.%s%s".formatted(index, options.format().extension(), compression.suffix());
                this.upload = store.upload(key, compression == Compression.GZIP ? "application/gzip" : options.format().mediaType());
                try {
                    this.out = compression == Compression.GZIP ? new GZIPOutputStream(upload.stream(), 64 * 1024) : upload.stream();
                } catch (IOException e) {
                    upload.abort();
                    throw new UncheckedIOException(e);
                }
                write(encoder.chunkStart());
            }

            void writeRow(ByteArrayOutputStream encoded) {
                if (rows > 0) {
                    write(encoder.separator());
                }
                try {
                    encoded.writeTo(out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                uncompressed += encoded.size();
                rows++;
            }

            /** Rows already joined by their separators. */
            void writeRows(byte[] joined, long count) {
                write(joined);
                rows += count;
            }

            private void write(byte[] bytes) {
                try {
                    out.write(bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                uncompressed += bytes.length;
            }

            Chunk close() {
                write(encoder.chunkEnd());
                try {
                    out.close();
                } catch (IOException e) {
                    upload.abort();
                    throw new UncheckedIOException(e);
                }
                long stored = upload.complete();
                return new Chunk(index, rowOffset, rows, stored, key);
            }

            void abort() {
                upload.abort();
            }
        }
    }
}
