package dev.spectra.local.dataapi;

import dev.spectra.common.result.UnloadQueryLiteral;
import dev.spectra.local.LocalAws;
import dev.spectra.local.LocalS3;
import dev.spectra.local.TestRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static dev.spectra.local.dataapi.TestWarehouse.ACME;
import static dev.spectra.local.dataapi.TestWarehouse.ACME_ROWS;
import static dev.spectra.local.dataapi.TestWarehouse.CLUSTER;
import static dev.spectra.local.dataapi.TestWarehouse.DATABASE;
import static dev.spectra.local.dataapi.TestWarehouse.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * UNLOAD in the Data API emulator, through the real SDK client, writing to S3Mock as Redshift writes to S3;
 * the files are read back with the S3 client, and Parquet with DuckDB.
 */
class UnloadTest {

    private static final String BUCKET = LocalS3.RESULTS_BUCKET;
    private static final String ROLE = "arn:aws:iam::123456789012:role/spectra-unload";

    @TempDir
    static Path temp;

    private static TestWarehouse warehouse;
    private static LocalS3 localS3;
    private static DataApiEmulator emulator;
    private static RedshiftDataClient client;
    private static S3Client s3;

    @BeforeAll
    static void start() throws IOException {
        warehouse = TestWarehouse.start();
        localS3 = LocalS3.start(TestRepository.root().resolve("local-stack/target/runtime/s3mock.jar"),
                Files.createDirectories(temp.resolve("s3")), temp.resolve("s3mock.log"));
        emulator = DataApiEmulator.start(warehouse.settings()
                .withSpoolDirectory(temp.resolve("results"))
                .withUnloadTo(localS3.endpoint(), BUCKET));
        client = TestWarehouse.clientFor(emulator.endpoint());
        s3 = LocalAws.s3(localS3.endpoint());
    }

    @AfterAll
    static void stop() throws IOException {
        s3.close();
        client.close();
        emulator.close();
        localS3.close();
        warehouse.close();
    }

    @Test
    void aParquetUnloadWritesTypedFilesOfTheTenantsRowsOnlyWithAVerboseManifest() throws Exception {
        String prefix = freshPrefix();
        String id = execute(ACME, "UNLOAD ('SELECT * FROM sales ORDER BY id') TO 's3://" + BUCKET + "/" + prefix + "' "
                + "iam_role '" + ROLE + "' format as parquet manifest verbose");

        DescribeStatementResponse ended = awaitEnd(id);

        assertThat(ended.status()).as(ended.error()).isEqualTo(StatusString.FINISHED);
        assertThat(ended.hasResultSet()).isFalse();
        assertThat(ended.resultRows()).isEqualTo(ACME_ROWS);
        assertThatThrownBy(() -> client.getStatementResult(b -> b.id(id)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("Query does not have result");
        assertThat(keys(prefix)).containsExactly(prefix + "0000_part_00.parquet", prefix + "manifest");

        Path parquet = download(prefix + "0000_part_00.parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duck.createStatement()) {
            String file = "read_parquet('" + parquet + "')";
            assertThat(columnTypes(statement, file)).containsExactly(
                    Map.entry("id", "INTEGER"), Map.entry("tenant", "VARCHAR"), Map.entry("region", "VARCHAR"),
                    Map.entry("amount", "DECIMAL(10,2)"), Map.entry("units", "BIGINT"), Map.entry("ratio", "DOUBLE"),
                    Map.entry("active", "BOOLEAN"), Map.entry("sold_on", "DATE"), Map.entry("sold_at", "TIMESTAMP"),
                    Map.entry("payload", "BLOB"), Map.entry("note", "VARCHAR"));
            try (ResultSet counts = statement.executeQuery("SELECT count(*), count(*) FILTER (WHERE tenant <> 'tenant_acme'), "
                    + "count(*) FILTER (WHERE amount IS NULL) FROM " + file)) {
                counts.next();
                assertThat(counts.getLong(1)).isEqualTo(ACME_ROWS);
                assertThat(counts.getLong(2)).as("other tenants' rows").isZero();
                assertThat(counts.getLong(3)).as("the row of NULLs").isEqualTo(1);
            }
            try (ResultSet row = statement.executeQuery("SELECT * FROM " + file + " WHERE id = 4")) {
                row.next();
                assertThat(row.getBigDecimal("amount")).isEqualByComparingTo(new BigDecimal("41.00"));
                assertThat(row.getLong("units")).isEqualTo(400);
                assertThat(row.getDouble("ratio")).isEqualTo(1.0);
                assertThat(row.getBoolean("active")).isFalse();
                assertThat(row.getObject("sold_on", LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 5));
                assertThat(row.getObject("sold_at", LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 1, 31, 14, 15));
                assertThat(row.getBytes("payload")).containsExactly(0xca, 0xfe, 0x04);
                assertThat(row.getString("note")).isEqualTo("row 4");
            }
        }

        JsonNode manifest = JsonMapper.builder().build().readTree(object(prefix + "manifest"));
        assertThat(manifest.at("/entries/0/url").stringValue()).isEqualTo("s3://" + BUCKET + "/" + prefix + "0000_part_00.parquet");
        assertThat(manifest.at("/entries/0/meta/content_length").longValue()).isEqualTo(Files.size(parquet));
        assertThat(manifest.at("/entries/0/meta/record_count").longValue()).isEqualTo(ACME_ROWS);
        assertThat(manifest.at("/schema/elements/0/name").stringValue()).isEqualTo("id");
        assertThat(manifest.at("/schema/elements/0/type/base").stringValue()).isEqualTo("integer");
        assertThat(manifest.at("/schema/elements/3/type/base").stringValue()).isEqualTo("numeric(10,2)");
        assertThat(manifest.at("/meta/record_count").longValue()).isEqualTo(ACME_ROWS);
        assertThat(manifest.at("/meta/content_length").longValue()).isEqualTo(Files.size(parquet));
        assertThat(manifest.at("/author/name").stringValue()).isEqualTo("Amazon Redshift");
    }

    @Test
    void aCsvUnloadWithHeaderWritesTheTenantsRowsAndAPlainManifest() throws IOException {
        String prefix = freshPrefix();
        String id = execute(GLOBEX, "UNLOAD ('SELECT id, tenant, region FROM sales ORDER BY id') TO 's3://" + BUCKET + "/"
                + prefix + "' IAM_ROLE '" + ROLE + "' FORMAT CSV HEADER MANIFEST PARALLEL ON;");

        assertThat(awaitEnd(id).resultRows()).isEqualTo(TestWarehouse.GLOBEX_ROWS);

        assertThat(new String(object(prefix + "0000_part_00"), StandardCharsets.UTF_8)).isEqualTo("""
                id,tenant,region
                101,tenant_globex,APAC
                102,tenant_globex,APAC
                103,tenant_globex,APAC
                104,tenant_globex,APAC
                105,tenant_globex,APAC
                """);
        JsonNode manifest = JsonMapper.builder().build().readTree(object(prefix + "manifest"));
        assertThat(manifest.at("/entries/0/meta/content_length").longValue()).isEqualTo(object(prefix + "0000_part_00").length);
        assertThat(manifest.at("/entries/0/meta/record_count").isMissingNode()).isTrue();
        assertThat(manifest.has("schema")).isFalse();
    }

    @Test
    void quotesBackslashesAndClosingParenthesesInTheQueryRoundTripThroughTheLiteralExactly() throws IOException {
        // as the query worker builds it: the query quoted by the one shared rule
        String query = "SELECT 'O''Brien' AS quote, 'C:\\dir\\' AS backslash, ''')' AS closer, "
                + "$$it's$$ AS dollar, '-- not a comment' AS dashes, '/* nor this */' AS block, ';' AS semicolon, "
                + "'x'' TO ''s3://elsewhere/'' ' AS fake_option -- a trailing comment ')\n";
        String prefix = freshPrefix();
        String id = execute(ACME, "UNLOAD (" + UnloadQueryLiteral.quote(query) + ") TO 's3://" + BUCKET + "/" + prefix
                + "' IAM_ROLE '" + ROLE + "' FORMAT CSV");

        assertThat(awaitEnd(id).status()).isEqualTo(StatusString.FINISHED);

        assertThat(new String(object(prefix + "0000_part_00"), StandardCharsets.UTF_8))
                .isEqualTo("O'Brien,C:\\dir\\,'),it's,-- not a comment,/* nor this */,;,x' TO 's3://elsewhere/' \n");
    }

    @Test
    void textAfterTheCommandOrASecondCommandInTheQueryRunsNothing() {
        String prefix = freshPrefix();
        String trailing = execute(ACME, "UNLOAD ('SELECT 1') TO 's3://" + BUCKET + "/" + prefix + "' IAM_ROLE '" + ROLE
                + "' FORMAT CSV; SELECT nextval('probe')");
        String twoCommands = execute(ACME, "UNLOAD ('SELECT 1; SELECT nextval(''probe'')') TO 's3://" + BUCKET + "/"
                + prefix + "' IAM_ROLE '" + ROLE + "' FORMAT CSV");
        // an unescaped quote ends the literal: what follows is not an option Redshift knows
        String brokenOut = execute(ACME, "UNLOAD ('SELECT 1 WHERE 'x' = 'x') TO 's3://" + BUCKET + "/" + prefix
                + "' IAM_ROLE '" + ROLE + "' FORMAT CSV");

        assertThat(awaitEnd(trailing).error()).isEqualTo("ERROR: syntax error at or near \"SELECT\"");
        assertThat(awaitEnd(twoCommands).error()).contains("cannot insert multiple commands");
        assertThat(awaitEnd(brokenOut).status()).isEqualTo(StatusString.FAILED);
        assertThat(warehouse.probeCalls()).isZero();
        assertThat(keys(prefix)).isEmpty();
    }

    @Test
    void refusesWhatRedshiftRefuses() {
        String to = " TO 's3://" + BUCKET + "/" + freshPrefix() + "' ";
        String role = "IAM_ROLE '" + ROLE + "' ";
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("UNLOAD ('SELECT 1')" + to + "FORMAT CSV", "Invalid credentials");
        refusals.put("UNLOAD ('SELECT 1')" + to + role + "FORMAT CSV DELIMITER ','", "syntax error at or near \"DELIMITER\"");
        refusals.put("UNLOAD ('SELECT 1') TO 's3://someone-elses-bucket/x/' " + role + "FORMAT CSV", "Access Denied");
        refusals.put("UNLOAD ('SELECT 1')" + to + role + "FORMAT PARQUET GZIP", "GZIP is not supported with the PARQUET format");
        refusals.put("UNLOAD ('SELECT 1')" + to + role + "FORMAT PARQUET HEADER", "HEADER is not supported with the PARQUET format");
        refusals.put("UNLOAD ('DELETE FROM sales')" + to + role + "FORMAT CSV", "must be a single SELECT");
        refusals.put("UNLOAD ('SELECT 1')" + to + role + "FORMAT CSV MAXFILESIZE 4 MB", "MAXFILESIZE must be between 5 MB and 6.2 GB");
        refusals.put("UNLOAD ('SELECT 1')" + to + role + "FORMAT CSV GZIP GZIP", "conflicting or redundant options");
        refusals.put("UNLOAD ('SELECT 1')" + to + "IAM_ROLE 'not-an-arn' FORMAT CSV", "IAM_ROLE must be an IAM role ARN");

        refusals.forEach((sql, error) -> {
            DescribeStatementResponse ended = awaitEnd(execute(ACME, sql));
            assertThat(ended.status()).as(sql).isEqualTo(StatusString.FAILED);
            assertThat(ended.error()).as(sql).startsWith("ERROR: ").contains(error);
        });
    }

    @Test
    void filesAlreadyAtThePrefixNeedAllowOverwrite() {
        String prefix = freshPrefix();
        String unload = "UNLOAD ('SELECT 1 AS one') TO 's3://" + BUCKET + "/" + prefix + "' IAM_ROLE '" + ROLE + "' FORMAT CSV";
        assertThat(awaitEnd(execute(ACME, unload)).status()).isEqualTo(StatusString.FINISHED);

        assertThat(awaitEnd(execute(ACME, unload)).error())
                .startsWith("ERROR: Specified unload destination on S3 is not empty");
        assertThat(awaitEnd(execute(ACME, unload + " ALLOWOVERWRITE")).status()).isEqualTo(StatusString.FINISHED);
    }

    @Test
    void maxFileSizeCutsFilesAtRowEndsAndGzipFilesAreGzip() throws IOException {
        // 12 000 rows of about 1 KB: 3 files of at most 5 MB
        String query = "SELECT n, repeat(''z'', 1000) AS pad FROM generate_series(1, 12000) AS n ORDER BY n";
        String plain = freshPrefix();
        String gzip = freshPrefix();
        String plainId = execute(ACME, "UNLOAD ('" + query + "') TO 's3://" + BUCKET + "/" + plain + "' IAM_ROLE '" + ROLE
                + "' FORMAT CSV HEADER MAXFILESIZE AS 5 MB");
        String gzipId = execute(ACME, "UNLOAD ('" + query + "') TO 's3://" + BUCKET + "/" + gzip + "' IAM_ROLE '" + ROLE
                + "' FORMAT AS CSV GZIP MAXFILESIZE 5 mb PARALLEL OFF");

        assertThat(awaitEnd(plainId).resultRows()).isEqualTo(12000);
        assertThat(awaitEnd(gzipId).resultRows()).isEqualTo(12000);

        assertThat(keys(plain)).containsExactly(plain + "0000_part_00", plain + "0000_part_01", plain + "0000_part_02");
        List<String> rows = new ArrayList<>();
        for (String key : keys(plain)) {
            byte[] file = object(key);
            assertThat(file.length).isLessThanOrEqualTo(5 * 1024 * 1024);
            List<String> lines = new String(file, StandardCharsets.UTF_8).lines().toList();
            assertThat(lines.getFirst()).as("every file starts with the header").isEqualTo("n,pad");
            rows.addAll(lines.subList(1, lines.size()));
        }
        assertThat(rows).extracting(row -> Integer.parseInt(row.substring(0, row.indexOf(','))))
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 12000).boxed().toList());

        assertThat(keys(gzip)).containsExactly(gzip + "000.gz", gzip + "001.gz", gzip + "002.gz");
        long gzipRows = 0;
        for (String key : keys(gzip)) {
            byte[] file = object(key);
            assertThat(file[0] & 0xff).isEqualTo(0x1f);
            assertThat(file[1] & 0xff).isEqualTo(0x8b);
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(file))) {
                gzipRows += new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count();
            }
        }
        assertThat(gzipRows).isEqualTo(12000);
    }

    @Test
    void twoMillionRowsUnloadToParquetWithoutHoldingThemInMemory() throws Exception {
        String prefix = freshPrefix();
        long heapBefore = usedHeap();
        String id = execute(ACME, "UNLOAD ('SELECT n AS id, ''row '' || n AS label, n * 0.5 AS half FROM generate_series(1, 2000000) AS n') "
                + "TO 's3://" + BUCKET + "/" + prefix + "' IAM_ROLE '" + ROLE + "' FORMAT PARQUET");

        DescribeStatementResponse ended = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.describeStatement(b -> b.id(id)), described -> described.status() != StatusString.STARTED
                        && described.status() != StatusString.SUBMITTED && described.status() != StatusString.PICKED);

        assertThat(ended.status()).as(ended.error()).isEqualTo(StatusString.FINISHED);
        assertThat(ended.resultRows()).isEqualTo(2_000_000);
        assertThat(usedHeap() - heapBefore).as("heap kept after the UNLOAD").isLessThan(64L * 1024 * 1024);
        Path parquet = download(prefix + "0000_part_00.parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duck.createStatement();
             ResultSet totals = statement.executeQuery("SELECT count(*), sum(id), max(label) FROM read_parquet('" + parquet + "')")) {
            totals.next();
            assertThat(totals.getLong(1)).isEqualTo(2_000_000);
            assertThat(totals.getLong(2)).isEqualTo(2_000_000L * 2_000_001 / 2);
        }
    }

    private static long usedHeap() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static Map<String, String> columnTypes(Statement statement, String file) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (ResultSet columns = statement.executeQuery("DESCRIBE SELECT * FROM " + file)) {
            while (columns.next()) {
                types.put(columns.getString("column_name"), columns.getString("column_type"));
            }
        }
        return types;
    }

    private static String freshPrefix() {
        return "tests/" + UUID.randomUUID() + "/";
    }

    private static List<String> keys(String prefix) {
        return s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).sorted().toList();
    }

    private static byte[] object(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    private static Path download(String key) {
        try {
            Path file = temp.resolve(UUID.randomUUID() + ".parquet");
            Files.write(file, object(key));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String execute(String dbUser, String sql) {
        return client.executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(dbUser).sql(sql)).id();
    }

    private static DescribeStatementResponse awaitEnd(String id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.describeStatement(b -> b.id(id)),
                        described -> List.of(StatusString.FINISHED, StatusString.FAILED, StatusString.ABORTED)
                                .contains(described.status()));
    }
}
