package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static dev.spectra.local.GatewayClient.Answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Results of any size, end to end on the local stack: a tenant's table inline, a million-row cross join exported as
 * links in every format, downloaded with plain HTTP and checked row by row against the same query read straight
 * from PostgreSQL as the tenant's own user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultDeliveryIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration JOB_DEADLINE = Duration.ofMinutes(4);
    private static final String ACME = "acme";
    private static final String GLOBEX = "globex";
    private static final String DELIVERY_HEAP = "256m";
    private static final String INLINE_MAX_BYTES = "1MB";
    private static final long GLOBEX_MAX_RESULT_BYTES = 100_000;
    /** 3,000 acme orders times 334: 1,002,000 rows, every one acme's (row-level security applies to both sides). */
    private static final String MILLION_ROWS = crossJoin(334);
    /** 3,000 times 40: 120,000 rows, some 2 MB as JSON, twice the inline limit of this stack. */
    private static final String TWICE_THE_INLINE_LIMIT = crossJoin(40);

    private LocalStack stack;
    private GatewayClient gateway;
    private String acmeToken;
    private String globexToken;
    private String acmeUser;
    private DataSource administrator;

    @BeforeAll
    void startTheStack() {
        Path root = TestRepository.root();
        LocalStackSettings settings = new LocalStackSettings(root, root.resolve("local-stack/target/result-delivery-stack"), FreePorts.next())
                // The heap the issue allows a delivery worker: exports stream, whatever their size.
                .withServiceJvmOptions("delivery-worker", "-Xmx" + DELIVERY_HEAP)
                // Limits small enough that these results cross them: inline in several chunks, AUTO switching at 1 MB,
                // exports cut into several files by the delivery worker (each of several 5 MB upload parts) and by UNLOAD alike.
                .withServiceProperties("delivery-worker", "spectra.delivery.inline-max-bytes=" + INLINE_MAX_BYTES,
                        "spectra.delivery.inline-chunk-bytes=64KB", "spectra.delivery.file-max-bytes=12MB")
                .withServiceProperties("query-worker", "spectra.results.max-file-size=5MB")
                .withTenantMaxResultBytes(TenantId.of(GLOBEX), GLOBEX_MAX_RESULT_BYTES);
        stack = LocalStack.start(settings);
        gateway = new GatewayClient(stack.gatewayUrl());
        acmeToken = stack.tokens().tokenFor(TenantId.of(ACME));
        globexToken = stack.tokens().tokenFor(TenantId.of(GLOBEX));
        acmeUser = ForbiddenKnowledge.databaseUsersByTenant(stack.dynamoDbEndpoint()).get(ACME);
        administrator = stack.warehouse().administratorDataSource();
    }

    @AfterAll
    void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void acmesWholeSalesTableComesInlineInChunksOfOnlyItsOwnRows() {
        String jobId = succeeded(ACME, acmeToken, Map.of("sql", "SELECT * FROM sales"));

        JsonNode manifest = results(ACME, acmeToken, jobId);
        assertThat(manifest.get("disposition").asString()).isEqualTo("INLINE");
        assertThat(manifest.get("total_row_count").asLong()).isEqualTo(3000);
        assertThat(manifest.get("truncated").asBoolean()).isFalse();
        assertThat(manifest.get("chunk_count").asInt()).as("chunks of at most 64 KB").isGreaterThan(1);
        List<JsonNode> rows = new ArrayList<>();
        manifest.get("rows").forEach(rows::add);
        JsonNode next = manifest.get("next_chunk");
        while (next != null && !next.isNull()) {
            JsonNode chunk = gateway.chunk(acmeToken, ACME, next.asString()).json();
            chunk.get("rows").forEach(rows::add);
            next = chunk.get("next_chunk");
        }
        int tenantColumn = columnIndex(manifest, "tenant_id");
        assertThat(rows).hasSize(3000).allSatisfy(row -> assertThat(row.get(tenantColumn).asString()).isEqualTo(ACME));
    }

    @Test
    void aMillionRowCrossJoinExportsAsLinksInEveryFormatAndMatchesTheWarehouse() {
        Checksum expected = checksumInWarehouse(MILLION_ROWS);
        assertThat(expected.rows()).isEqualTo(1_002_000);

        for (Export export : exports()) {
            String format = export.format();
            String compression = export.compression();
            Map<String, Object> body = new LinkedHashMap<>(Map.of("sql", MILLION_ROWS, "disposition", "EXTERNAL_LINKS",
                    "format", format, "compression", compression));
            if (export.byteLimit() != null) {
                body.put("byte_limit", export.byteLimit());
            }
            String jobId = succeeded(ACME, acmeToken, body);
            JsonNode manifest = results(ACME, acmeToken, jobId);
            assertThat(manifest.get("disposition").asString()).as(export.name()).isEqualTo("EXTERNAL_LINKS");
            assertThat(manifest.get("format").asString()).as(export.name()).isEqualTo(format);
            assertThat(manifest.get("total_row_count").asLong()).as(export.name()).isEqualTo(expected.rows());
            assertThat(manifest.get("chunk_count").asInt()).as(export.name()).isGreaterThan(1);
            Checksum downloaded = Checksum.EMPTY;
            for (JsonNode chunk : manifest.get("chunks")) {
                assertSignedForTheLinkTtl(chunk);
                byte[] file = gateway.download(URI.create(chunk.get("external_link").asString()));
                assertThat(file.length).as(export.name()).isEqualTo(chunk.get("byte_count").asLong());
                Checksum ofChunk = Checksum.of(format, "GZIP".equals(compression) ? gunzip(file) : file);
                assertThat(ofChunk.rows()).as(export.name()).isEqualTo(chunk.get("row_count").asLong());
                downloaded = downloaded.plus(ofChunk);
            }
            assertThat(downloaded).as(export.name()).isEqualTo(expected);
        }
    }

    @Test
    void autoAnswersInlineUnderTheLimitAndWithLinksBeyondIt() {
        String small = succeeded(ACME, acmeToken, Map.of("sql", "SELECT order_id FROM sales ORDER BY order_id LIMIT 10"));
        String large = succeeded(ACME, acmeToken, Map.of("sql", TWICE_THE_INLINE_LIMIT));

        assertThat(results(ACME, acmeToken, small).get("disposition").asString()).isEqualTo("INLINE");
        assertThat(results(ACME, acmeToken, small).get("row_count").asLong()).isEqualTo(10);
        JsonNode switched = results(ACME, acmeToken, large);
        assertThat(switched.get("disposition").asString()).isEqualTo("EXTERNAL_LINKS");
        assertThat(switched.get("total_row_count").asLong()).isEqualTo(120_000);
        assertThat(switched.get("total_byte_count").asLong()).isGreaterThan(1024 * 1024);
        Checksum downloaded = Checksum.EMPTY;
        for (JsonNode chunk : switched.get("chunks")) {
            downloaded = downloaded.plus(Checksum.of("JSON_ARRAY", gateway.download(URI.create(chunk.get("external_link").asString()))));
        }
        assertThat(downloaded).isEqualTo(checksumInWarehouse(TWICE_THE_INLINE_LIMIT));
    }

    @Test
    void aResultBeyondTheTenantsMaxResultBytesFailsNamingTheLimitUnlessAByteLimitCutsIt() {
        String refused = ended(GLOBEX, globexToken, Map.of("sql", "SELECT * FROM sales"));
        JsonNode status = gateway.status(globexToken, GLOBEX, refused).json();
        assertThat(status.get("status").asString()).isEqualTo("FAILED");
        assertThat(status.get("error").get("code").asString()).isEqualTo("RESULT_TOO_LARGE");
        assertThat(status.get("error").get("message").asString()).contains(Long.toString(GLOBEX_MAX_RESULT_BYTES), "max_result_bytes");

        String cut = succeeded(GLOBEX, globexToken, Map.of("sql", "SELECT * FROM sales", "byte_limit", 50_000));
        JsonNode manifest = results(GLOBEX, globexToken, cut);
        assertThat(manifest.get("truncated").asBoolean()).isTrue();
        assertThat(manifest.get("total_byte_count").asLong()).isBetween(1L, 50_000L);
        assertThat(manifest.get("total_row_count").asLong()).isBetween(1L, 1999L);
    }

    @Test
    void anotherTenantCannotReadAcmesResultsNorItsChunks() {
        String jobId = succeeded(ACME, acmeToken, Map.of("sql", "SELECT * FROM sales", "disposition", "EXTERNAL_LINKS", "format", "CSV"));

        assertThat(gateway.results(globexToken, GLOBEX, jobId).status()).isEqualTo(404);
        assertThat(gateway.chunk(globexToken, GLOBEX, "/v1/queries/" + jobId + "/results/chunks/0").status()).isEqualTo(404);
        assertThat(gateway.chunk(acmeToken, ACME, "/v1/queries/" + jobId + "/results/chunks/0").status()).isEqualTo(200);
    }

    @Test
    void aRowLimitCutsTheResultAndSaysSo() {
        String jobId = succeeded(ACME, acmeToken, Map.of("sql", "SELECT * FROM sales", "row_limit", 25));

        JsonNode manifest = results(ACME, acmeToken, jobId);
        assertThat(manifest.get("total_row_count").asLong()).isEqualTo(25);
        assertThat(manifest.get("truncated").asBoolean()).isTrue();
    }

    /**
     * One export of the million rows. CSV without a byte limit is the warehouse's UNLOAD; with one, the Data API's own
     * CSV pages passed through by the delivery worker; JSON is always paged and encoded by the delivery worker.
     */
    record Export(String name, String format, String compression, Long byteLimit) {}

    private static List<Export> exports() {
        return List.of(
                new Export("csv (UNLOAD)", "CSV", "NONE", null),
                new Export("csv.gz (UNLOAD)", "CSV", "GZIP", null),
                new Export("csv.gz (Data API CSV pages)", "CSV", "GZIP", 1L << 30),
                new Export("jsonl.gz", "JSON_LINES", "GZIP", null),
                new Export("json", "JSON_ARRAY", "NONE", null),
                new Export("parquet (UNLOAD)", "PARQUET", "NONE", null));
    }

    @Test
    void twoMillionRowsExportWithTheDeliveryWorkerHoldingAtMost256MegabytesOfHeap() {
        String twoMillion = crossJoin(668);
        String jobId = succeeded(ACME, acmeToken, Map.of("sql", twoMillion, "disposition", "EXTERNAL_LINKS", "format", "JSON_LINES"));

        JsonNode manifest = results(ACME, acmeToken, jobId);
        Checksum downloaded = Checksum.EMPTY;
        for (JsonNode chunk : manifest.get("chunks")) {
            downloaded = downloaded.plus(Checksum.of("JSON_LINES", gateway.download(URI.create(chunk.get("external_link").asString()))));
        }
        assertThat(downloaded).isEqualTo(checksumInWarehouse(twoMillion));
        assertThat(downloaded.rows()).isEqualTo(2_004_000);
        String metrics = gateway.get(stack.managementEndpoints().get("delivery-worker").resolve("/actuator/prometheus")).body();
        assertThat(heapMaxBytes(metrics)).as("the delivery worker's heap ceiling").isPositive().isLessThanOrEqualTo(256L * 1024 * 1024);
    }

    /**
     * The link is a SigV4 presigned GET whose signature lapses after the configured TTL (15 minutes), the moment the
     * chunk's {@code expires_at} announces. S3 refuses it after that; the local S3 stand-in does not check signatures.
     */
    private static void assertSignedForTheLinkTtl(JsonNode chunk) {
        URI link = URI.create(chunk.get("external_link").asString());
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : link.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            query.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        assertThat(query).containsKeys("X-Amz-Signature", "X-Amz-Credential").containsEntry("X-Amz-Expires", "900");
        java.time.Instant signedAt = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX")
                .parse(query.get("X-Amz-Date"), java.time.Instant::from);
        assertThat(java.time.Instant.parse(chunk.get("expires_at").asString())).isEqualTo(signedAt.plusSeconds(900));
        assertThat(link.getPath()).contains("tenant=" + ACME + "/");
    }

    /** The sum of {@code jvm_memory_max_bytes} over the heap's pools. */
    private static long heapMaxBytes(String prometheus) {
        return prometheus.lines()
                .filter(line -> line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .filter(bytes -> bytes > 0)
                .sum();
    }

    private String succeeded(String tenant, String token, Map<String, Object> body) {
        String jobId = ended(tenant, token, body);
        Answer status = gateway.status(token, tenant, jobId);
        assertThat(status.text("status")).as(status.body()).isEqualTo("SUCCEEDED");
        return jobId;
    }

    /** Submits, and waits for the job's terminal state. */
    private String ended(String tenant, String token, Map<String, Object> body) {
        Answer submitted = gateway.submitRaw(token, tenant, JSON.writeValueAsString(body));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String jobId = submitted.text("job_id");
        await().atMost(JOB_DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Answer status = gateway.status(token, tenant, jobId);
            assertThat(status.text("status")).as(status.body()).isIn("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT");
        });
        return jobId;
    }

    /** acme's orders, each paired with its first {@code partners} orders. */
    private static String crossJoin(int partners) {
        return "SELECT a.tenant_id, a.order_id AS a, b.order_id AS b "
                + "FROM sales a CROSS JOIN (SELECT order_id FROM sales ORDER BY order_id LIMIT " + partners + ") b";
    }

    private JsonNode results(String tenant, String token, String jobId) {
        Answer answer = gateway.results(token, tenant, jobId);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static int columnIndex(JsonNode manifest, String name) {
        JsonNode columns = manifest.get("columns");
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).get("name").asString().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no column " + name + " in " + columns);
    }

    /** The query as acme's own user sees it: row-level security decides, as it does for Spectra. */
    private Checksum checksumInWarehouse(String query) {
        try (Connection connection = administrator.getConnection(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            sql.execute("SET LOCAL ROLE \"" + acmeUser + "\"");
            try (ResultSet row = sql.executeQuery("SELECT count(*), sum(a), sum(b), count(*) FILTER (WHERE tenant_id <> 'acme') FROM ("
                    + query + ") q")) {
                row.next();
                assertThat(row.getLong(4)).as("rows of another tenant").isZero();
                return new Checksum(row.getLong(1), row.getLong(2), row.getLong(3));
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gunzip(byte[] bytes) {
        // Concatenated gzip members (one per multipart part, should a writer do that) read as one stream too.
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows, and the sums of columns a and b; every row must be acme's. */
    record Checksum(long rows, long sumA, long sumB) {
        static final Checksum EMPTY = new Checksum(0, 0, 0);

        Checksum plus(Checksum other) {
            return new Checksum(rows + other.rows, sumA + other.sumA, sumB + other.sumB);
        }

        static Checksum of(String format, byte[] file) {
            if (format.equals("PARQUET")) {
                return ofParquet(file);
            }
            String text = new String(file, StandardCharsets.UTF_8);
            long rows = 0;
            long a = 0;
            long b = 0;
            switch (format) {
                case "CSV" -> {
                    List<String> lines = text.lines().toList();
                    assertThat(lines.getFirst()).isEqualTo("tenant_id,a,b");
                    for (String line : lines.subList(1, lines.size())) {
                        String[] fields = line.split(",");
                        assertThat(fields[0]).isEqualTo(ACME);
                        a += Long.parseLong(fields[1]);
                        b += Long.parseLong(fields[2]);
                        rows++;
                    }
                }
                case "JSON_LINES" -> {
                    for (String line : text.lines().toList()) {
                        JsonNode row = JSON.readTree(line);
                        assertThat(row.get(0).asString()).isEqualTo(ACME);
                        a += row.get(1).asLong();
                        b += row.get(2).asLong();
                        rows++;
                    }
                }
                case "JSON_ARRAY" -> {
                    for (JsonNode row : JSON.readTree(text)) {
                        assertThat(row.get(0).asString()).isEqualTo(ACME);
                        a += row.get(1).asLong();
                        b += row.get(2).asLong();
                        rows++;
                    }
                }
                default -> throw new IllegalArgumentException(format);
            }
            return new Checksum(rows, a, b);
        }

        /** A Parquet chunk read back by DuckDB: a complete file, with its typed columns. */
        private static Checksum ofParquet(byte[] file) {
            try {
                Path parquet = Files.createTempFile("chunk-", ".parquet");
                try {
                    Files.write(parquet, file);
                    try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duckDb.createStatement();
                         ResultSet row = sql.executeQuery("SELECT count(*), sum(a), sum(b), count(*) FILTER (WHERE tenant_id <> 'acme'), "
                                 + "typeof(any_value(a)) FROM read_parquet('" + parquet + "')")) {
                        row.next();
                        assertThat(row.getLong(4)).as("rows of another tenant").isZero();
                        assertThat(row.getString(5)).as("a typed column").isIn("INTEGER", "BIGINT");
                        return new Checksum(row.getLong(1), row.getLong(2), row.getLong(3));
                    }
                } finally {
                    Files.deleteIfExists(parquet);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
