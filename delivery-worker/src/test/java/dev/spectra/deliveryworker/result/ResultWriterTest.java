package dev.spectra.deliveryworker.result;

import dev.spectra.common.job.Job;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultManifest;
import dev.spectra.common.result.ResultManifest.Chunk;
import dev.spectra.deliveryworker.config.DeliveryProperties;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultV2Response;
import software.amazon.awssdk.services.redshiftdata.model.QueryRecords;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

import static dev.spectra.deliveryworker.delivery.FakeStatementResults.column;
import static dev.spectra.deliveryworker.jobs.JobFixture.aDeliveringJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultWriterTest {

    private static final List<ColumnMetadata> COLUMNS = List.of(column("id", "int8"), column("note", "varchar"));
    private static final Runnable NO_HEARTBEAT = () -> { };

    private final FakeResultStore store = new FakeResultStore();
    private final JsonMapper json = JsonMapper.builder().build();
    /** Item 256B, inline up to 2KB in chunks of 512B, files of 1KB, results up to 1MB. */
    private final ResultWriter writer = new ResultWriter(store, json, new DeliveryProperties(DataSize.ofBytes(256),
            DataSize.ofKilobytes(2), DataSize.ofBytes(512), DataSize.ofKilobytes(1), DataSize.ofMegabytes(1), Duration.ofSeconds(30),
            16, 2, 8, DataSize.ofMegabytes(8), new DeliveryProperties.Retry(3, Duration.ofMillis(100), Duration.ofSeconds(1), 0)));

    @Test
    void aSmallResultStaysOnTheItemAndNeverReachesTheBucket() {
        Job job = aDeliveringJob().build();

        WrittenResult written = writer.write(job, 10, folder(job), pages(rows(3), 2), NO_HEARTBEAT);

        assertThat(written).isInstanceOf(WrittenResult.OnItem.class);
        assertThat(((WrittenResult.OnItem) written).document()).isEqualTo("""
                {"columns":[{"name":"id","type":"int8"},{"name":"note","type":"varchar"}],\
                "rows":[[0,"row 0, \\"quoted\\""],[1,null],[2,"row 2, \\"quoted\\""]],"row_count":3}""");
        assertThat(written.summary().onItem()).isTrue();
        assertThat(store.objects()).isEmpty();
    }

    @Test
    void csvExportIsCutIntoSelfContainedFilesEachWithItsHeader() {
        Job job = aDeliveringJob().askingFor(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.NONE).build();

        WrittenResult written = writer.write(job, 0, folder(job), pages(rows(100), 7), NO_HEARTBEAT);

        ResultManifest manifest = manifest(written);
        assertThat(manifest.disposition()).isEqualTo(Disposition.EXTERNAL_LINKS);
        assertThat(manifest.chunks()).hasSizeGreaterThan(1);
        assertThat(manifest.totalRowCount()).isEqualTo(100);
        StringBuilder rowsOfAllChunks = new StringBuilder();
        long offset = 0;
        for (Chunk chunk : manifest.chunks()) {
            String file = new String(store.object(chunk.key()), StandardCharsets.UTF_8);
            assertThat(file).startsWith("id,note\n");
            assertThat(chunk.byteCount()).isEqualTo(store.object(chunk.key()).length);
            assertThat(chunk.rowOffset()).isEqualTo(offset);
            assertThat(file.length()).isLessThanOrEqualTo(1024 + 64);
            rowsOfAllChunks.append(file.substring("id,note\n".length()));
            offset += chunk.rowCount();
            assertThat(chunk.key()).startsWith(ResultLocation.jobPrefix(job.tenantId(), job.jobId())).endsWith(".csv");
        }
        String expected = IntStream.range(0, 100)
                .mapToObj(i -> i % 3 == 1 ? i + ",\n" : i + ",\"row " + i + ", \"\"quoted\"\"\"\n")
                .reduce("", String::concat);
        assertThat(rowsOfAllChunks.toString()).isEqualTo(expected);
        assertThat(manifest.totalByteCount()).isEqualTo(manifest.chunks().stream().mapToLong(Chunk::byteCount).sum());
    }

    @Test
    void theWarehousesCsvTextIsPassedThroughRecordByRecordWithEveryChunkGivenTheHeader() {
        Job job = aDeliveringJob().askingFor(Disposition.AUTO, ResultFormat.CSV, Compression.NONE).build();
        StringBuilder first = new StringBuilder("id,note\n");
        StringBuilder second = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            // A quoted field may hold a line break: it is one record, not two.
            String record = i + ",\"line one\nline \"\"two\"\"\"\n";
            (i < 30 ? first : second).append(record);
            expected.append(record);
        }
        List<GetStatementResultV2Response> pages = List.of(csvPage(first.toString()), csvPage(second.toString()));

        ResultManifest manifest = manifest(writer.writeCsv(job, 0, folder(job), pages.iterator(), NO_HEARTBEAT));

        assertThat(manifest.disposition()).isEqualTo(Disposition.EXTERNAL_LINKS);
        assertThat(manifest.totalRowCount()).isEqualTo(60);
        assertThat(manifest.chunks()).hasSizeGreaterThan(1);
        StringBuilder rows = new StringBuilder();
        for (Chunk chunk : manifest.chunks()) {
            String file = new String(store.object(chunk.key()), StandardCharsets.UTF_8);
            assertThat(file).startsWith("id,note\n");
            rows.append(file.substring("id,note\n".length()));
        }
        assertThat(rows.toString()).isEqualTo(expected.toString());
    }

    @Test
    void csvTextEndingInsideARecordIsRefused() {
        assertThatThrownBy(() -> CsvRecords.split("1,\"open\n")).isInstanceOf(IllegalStateException.class);
        assertThat(CsvRecords.split("1,a\r\n2,\"b\r\nc\"\n")).containsExactly("1,a\r\n", "2,\"b\r\nc\"\n");
    }

    @Test
    void gzippedJsonLinesFilesUnzipToOneArrayPerLine() {
        Job job = aDeliveringJob().askingFor(Disposition.EXTERNAL_LINKS, ResultFormat.JSON_LINES, Compression.GZIP).build();

        ResultManifest manifest = manifest(writer.write(job, 0, folder(job), pages(rows(40), 10), NO_HEARTBEAT));

        List<String> lines = new ArrayList<>();
        for (Chunk chunk : manifest.chunks()) {
            assertThat(chunk.key()).endsWith(".jsonl.gz");
            lines.addAll(gunzip(store.object(chunk.key())).lines().toList());
        }
        assertThat(lines).hasSize(40);
        assertThat(lines.get(1)).isEqualTo("[1,null]");
        assertThat(manifest.compression()).isEqualTo(Compression.GZIP);
    }

    @Test
    void autoServesInlineChunksWithinTheInlineLimit() {
        Job job = aDeliveringJob().build();

        ResultManifest manifest = manifest(writer.write(job, 1000, folder(job), pages(rows(40), 10), NO_HEARTBEAT));

        assertThat(manifest.disposition()).isEqualTo(Disposition.INLINE);
        assertThat(manifest.chunks()).hasSizeGreaterThan(1);
        List<Object> all = new ArrayList<>();
        for (Chunk chunk : manifest.chunks()) {
            List<?> rows = json.readValue(store.object(chunk.key()), List.class);
            assertThat(rows).hasSize((int) chunk.rowCount());
            all.addAll(rows);
        }
        assertThat(all).hasSize(40);
    }

    @Test
    void autoSwitchesToLinksTheMomentTheResultPassesTheInlineLimit() {
        Job job = aDeliveringJob().build();

        ResultManifest manifest = manifest(writer.write(job, 1000, folder(job), pages(rows(200), 10), NO_HEARTBEAT));

        assertThat(manifest.disposition()).isEqualTo(Disposition.EXTERNAL_LINKS);
        assertThat(manifest.totalRowCount()).isEqualTo(200);
        assertThat(manifest.truncated()).isFalse();
    }

    @Test
    void autoGoesToLinksFromTheFirstRowWhenTheWarehouseReportsMoreThanTheInlineLimit() {
        Job job = aDeliveringJob().build();

        ResultManifest manifest = manifest(writer.write(job, 5000, folder(job), pages(rows(3), 3), NO_HEARTBEAT));

        assertThat(manifest.disposition()).isEqualTo(Disposition.EXTERNAL_LINKS);
        assertThat(manifest.chunks()).hasSize(1);
    }

    @Test
    void aRowLimitCutsTheResultAndMarksItTruncated() {
        Job job = aDeliveringJob().askingFor(new DeliveryOptions(Disposition.AUTO, ResultFormat.JSON_ARRAY, Compression.NONE, 5L, null)).build();

        WrittenResult written = writer.write(job, 10, folder(job), pages(rows(50), 10), NO_HEARTBEAT);

        assertThat(written.summary().rowCount()).isEqualTo(5);
        assertThat(written.summary().truncated()).isTrue();
    }

    @Test
    void aRowLimitTheResultDoesNotReachLeavesItWhole() {
        Job job = aDeliveringJob().askingFor(new DeliveryOptions(Disposition.AUTO, ResultFormat.JSON_ARRAY, Compression.NONE, 5L, null)).build();

        WrittenResult written = writer.write(job, 10, folder(job), pages(rows(5), 10), NO_HEARTBEAT);

        assertThat(written.summary().rowCount()).isEqualTo(5);
        assertThat(written.summary().truncated()).isFalse();
    }

    @Test
    void aByteLimitCutsAtARowsEnd() {
        Job job = aDeliveringJob().askingFor(new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.NONE, null, 100L)).build();

        ResultManifest manifest = manifest(writer.write(job, 0, folder(job), pages(rows(50), 10), NO_HEARTBEAT));

        String file = new String(store.object(manifest.chunks().getFirst().key()), StandardCharsets.UTF_8);
        assertThat(manifest.truncated()).isTrue();
        assertThat(file).endsWith("\n");
        assertThat(file.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(100);
        assertThat(file.lines().count() - 1).isEqualTo(manifest.totalRowCount());
    }

    @Test
    void anEmptyResultIsOneFileWithOnlyTheHeader() {
        Job job = aDeliveringJob().askingFor(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.NONE).build();

        ResultManifest manifest = manifest(writer.write(job, 0, folder(job), pages(rows(0), 10), NO_HEARTBEAT));

        assertThat(manifest.chunks()).hasSize(1);
        assertThat(new String(store.object(manifest.chunks().getFirst().key()), StandardCharsets.UTF_8)).isEqualTo("id,note\n");
    }

    @Test
    void aFailedUploadIsAbortedAndThrown() {
        Job job = aDeliveringJob().askingFor(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.NONE).build();
        store.failUploadsAfter(300, () -> new UncheckedIOException(new IOException("connection reset")));

        assertThatThrownBy(() -> writer.write(job, 0, folder(job), pages(rows(100), 10), NO_HEARTBEAT))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(store.aborted()).isEqualTo(1);
        assertThat(store.objects()).isEmpty();
    }

    @Test
    void theHeartbeatRunsBetweenPages() {
        Job job = aDeliveringJob().build();
        int[] beats = {0};

        writer.write(job, 10, folder(job), pages(rows(9), 3), () -> beats[0]++);

        assertThat(beats[0]).isEqualTo(2);
    }

    private ResultManifest manifest(WrittenResult written) {
        assertThat(written).isInstanceOf(WrittenResult.Stored.class);
        return json.readValue(store.object(written.summary().manifest().key()), ResultManifest.class);
    }

    private static String folder(Job job) {
        return ResultLocation.jobPrefix(job.tenantId(), job.jobId()) + "d9/";
    }

    /** Row i is {@code [i, "row i, \"quoted\""]}, every third note NULL. */
    private static List<List<Field>> rows(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> List.of(Field.fromLongValue((long) i),
                        i % 3 == 1 ? Field.fromIsNull(true) : Field.fromStringValue("row " + i + ", \"quoted\"")))
                .toList();
    }

    private static Iterator<GetStatementResultResponse> pages(List<List<Field>> rows, int perPage) {
        List<GetStatementResultResponse> pages = new ArrayList<>();
        for (int start = 0; start < rows.size() || pages.isEmpty(); start += perPage) {
            pages.add(GetStatementResultResponse.builder().columnMetadata(COLUMNS)
                    .records(rows.subList(start, Math.min(rows.size(), start + perPage))).build());
        }
        return pages.iterator();
    }

    private static GetStatementResultV2Response csvPage(String text) {
        return GetStatementResultV2Response.builder().columnMetadata(COLUMNS)
                .records(QueryRecords.fromCsvRecords(text)).resultFormat("CSV").build();
    }

    private static String gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
