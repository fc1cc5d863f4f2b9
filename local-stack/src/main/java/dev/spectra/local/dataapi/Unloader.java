package dev.spectra.local.dataapi;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static java.util.Objects.requireNonNull;

/**
 * Writes an UNLOAD's rows to the local S3 as Redshift would: files {@code <prefix>0000_part_00},
 * {@code _01}... (one slice; {@code 000}, {@code 001}... with PARALLEL OFF), {@code .parquet} for Parquet and
 * {@code .gz} for GZIP, each cut at MAXFILESIZE without splitting a row, every CSV file starting with the
 * header when HEADER is given, and {@code <prefix>manifest} when MANIFEST is.
 *
 * <p>Rows stream from the cursor into one file at a time under the spool directory, which is uploaded and
 * deleted as soon as it is complete, so neither the heap nor the disk holds more than one file's worth. A
 * Parquet file is written by DuckDB: rows go through its appender into a table of a temporary file-backed
 * DuckDB database (memory capped, spilling to disk), which {@code COPY ... (FORMAT PARQUET)} writes out
 * with proper Parquet types, then empties. A CSV file is cut on its uncompressed bytes, so a GZIP file is
 * well under MAXFILESIZE where Redshift cuts on the stored bytes; a Parquet file is cut on its rows'
 * in-memory size, which its encoded columns stay under.
 *
 * <p>An UNLOAD that writes no row still writes one file (a header only, or a Parquet file with its schema).
 */
final class Unloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Unloader.class);
    private static final String TABLE = "unload_rows";

    private final S3Client s3;
    private final String bucket;
    private final Path workDirectory;
    private final JsonMapper mapper = JsonMapper.builder().build();

    Unloader(S3Client s3, String bucket, Path workDirectory) {
        this.s3 = requireNonNull(s3, "s3 is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
    }

    /** Thrown when S3 refuses or fails; the message is the statement's Error. */
    static final class UnloadFailedException extends Exception {
        UnloadFailedException(String message) {
            super(message, null, false, false);
        }
    }

    /** Checked before the query runs: the bucket is the one allowed, and the prefix empty unless overwriting. */
    void checkDestination(UnloadCommand command) throws UnloadFailedException {
        if (!command.bucket().equals(bucket)) {
            // the role a tenant's UNLOAD assumes may write only to the results bucket; S3 says no to the rest
            throw new UnloadFailedException("ERROR: S3ServiceException:Access Denied,Status 403,Error AccessDenied "
                    + "(the Data API emulator's UNLOAD writes only to bucket " + bucket + ")");
        }
        if (command.allowOverwrite()) {
            return;
        }
        try {
            if (s3.listObjectsV2(b -> b.bucket(bucket).prefix(command.prefix()).maxKeys(1)).keyCount() > 0) {
                throw new UnloadFailedException("ERROR: Specified unload destination on S3 is not empty. Consider "
                        + "using a different bucket / prefix, manually removing the target files in S3, or using "
                        + "the ALLOWOVERWRITE option.");
            }
        } catch (SdkException e) {
            throw s3Failure(e);
        }
    }

    /** Writes every row of {@code rows} as {@code command} says; answers how many rows it unloaded. */
    long unload(UnloadCommand command, ResultSet rows) throws SQLException, IOException, UnloadFailedException {
        List<Column> columns = Column.of(rows.getMetaData());
        List<ManifestEntry> entries = new ArrayList<>();
        long total = command.format() == UnloadCommand.Format.PARQUET
                ? unloadParquet(command, columns, rows, entries)
                : unloadCsv(command, columns, rows, entries);
        if (command.manifest()) {
            byte[] manifest = manifest(command, columns, entries);
            put(command.manifestKey(), RequestBody.fromBytes(manifest));
        }
        return total;
    }

    private long unloadCsv(UnloadCommand command, List<Column> columns, ResultSet rows, List<ManifestEntry> entries)
            throws SQLException, IOException, UnloadFailedException {
        byte[] header = CsvText.header(columns.stream()
                .map(column -> new ResultColumn(column.name(), column.name(), column.postgresType(), 1, 0, 0, false,
                        false, false, 0, "", "", null))
                .toList()).getBytes(StandardCharsets.UTF_8);
        long total = 0;
        CsvPart part = null;
        try {
            FieldValue[] values = new FieldValue[columns.size()];
            while (rows.next()) {
                for (int index = 0; index < values.length; index++) {
                    values[index] = columns.get(index).textOf(rows, index + 1);
                }
                byte[] record = CsvText.record(List.of(values)).getBytes(StandardCharsets.UTF_8);
                if (part != null && part.rows > 0 && part.bytes + record.length > command.maxFileBytes()) {
                    entries.add(upload(command, entries.size(), part.finish(), part.rows));
                    part = null;
                }
                if (part == null) {
                    part = new CsvPart(newWorkFile(".csv"), command.gzip(), command.header() ? header : null);
                }
                part.write(record);
                total++;
            }
            if (part == null) {
                part = new CsvPart(newWorkFile(".csv"), command.gzip(), command.header() ? header : null);
            }
            entries.add(upload(command, entries.size(), part.finish(), part.rows));
            part = null;
            return total;
        } finally {
            if (part != null) {
                part.abandon();
            }
        }
    }

    private long unloadParquet(UnloadCommand command, List<Column> columns, ResultSet rows, List<ManifestEntry> entries)
            throws SQLException, IOException, UnloadFailedException {
        Path database = workDirectory.resolve("unload-" + UUID.randomUUID() + ".duckdb");
        Path spill = Files.createDirectories(workDirectory.resolve("unload-spill-" + UUID.randomUUID()));
        try (DuckDBConnection duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + database)) {
            try (Statement statement = duck.createStatement()) {
                // a small footprint: the emulator shares its machine with the whole stack
                statement.execute("SET memory_limit = '256MB'");
                statement.execute("SET threads = 1");
                statement.execute("SET preserve_insertion_order = true");
                statement.execute("SET temp_directory = " + sqlLiteral(spill.toString()));
                statement.execute("CREATE TABLE " + TABLE + " (" + String.join(", ",
                        columns.stream().map(column -> quoteIdentifier(column.name()) + " " + column.duckType()).toList()) + ")");
            }
            long total = 0;
            long partRows = 0;
            long partBytes = 0;
            DuckDBAppender appender = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, TABLE);
            try {
                while (rows.next()) {
                    long rowBytes = 0;
                    for (int index = 0; index < columns.size(); index++) {
                        rowBytes += columns.get(index).estimatedBytes(rows, index + 1);
                    }
                    if (partRows > 0 && partBytes + rowBytes > command.maxFileBytes()) {
                        appender.close();
                        entries.add(upload(command, entries.size(), writeParquet(duck), partRows));
                        partRows = 0;
                        partBytes = 0;
                        appender = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, TABLE);
                    }
                    appender.beginRow();
                    for (int index = 0; index < columns.size(); index++) {
                        columns.get(index).append(appender, rows, index + 1);
                    }
                    appender.endRow();
                    partRows++;
                    partBytes += rowBytes;
                    total++;
                }
                appender.close();
                appender = null;
                entries.add(upload(command, entries.size(), writeParquet(duck), partRows));
                return total;
            } finally {
                if (appender != null) {
                    appender.close();
                }
            }
        } finally {
            LocalFiles.delete(database, database.resolveSibling(database.getFileName() + ".wal"), spill);
        }
    }

    /** Writes the table's rows to a new Parquet file and empties the table. */
    private Path writeParquet(DuckDBConnection duck) throws SQLException, IOException {
        Path file = newWorkFile(".parquet");
        Files.delete(file);
        try (Statement statement = duck.createStatement()) {
            statement.execute("COPY " + TABLE + " TO " + sqlLiteral(file.toString()) + " (FORMAT PARQUET)");
            statement.execute("DELETE FROM " + TABLE);
        }
        return file;
    }

    private ManifestEntry upload(UnloadCommand command, int part, Path file, long rowCount)
            throws IOException, UnloadFailedException {
        try {
            long length = Files.size(file);
            String key = command.fileKey(part);
            put(key, RequestBody.fromFile(file));
            return new ManifestEntry("s3://" + bucket + "/" + key, length, rowCount);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void put(String key, RequestBody body) throws UnloadFailedException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key), body);
        } catch (SdkException e) {
            throw s3Failure(e);
        }
    }

    /**
     * The manifest as Redshift writes it: {@code entries} of {@code url} and {@code meta.content_length}; with
     * VERBOSE also each entry's {@code record_count}, the {@code schema}, the totals and the {@code author}.
     */
    private byte[] manifest(UnloadCommand command, List<Column> columns, List<ManifestEntry> entries) {
        ObjectNode manifest = mapper.createObjectNode();
        ArrayNode list = manifest.putArray("entries");
        long contentLength = 0;
        long recordCount = 0;
        for (ManifestEntry entry : entries) {
            ObjectNode item = list.addObject();
            item.put("url", entry.url());
            ObjectNode meta = item.putObject("meta");
            meta.put("content_length", entry.contentLength());
            if (command.verboseManifest()) {
                meta.put("record_count", entry.recordCount());
            }
            contentLength += entry.contentLength();
            recordCount += entry.recordCount();
        }
        if (command.verboseManifest()) {
            ArrayNode elements = manifest.putObject("schema").putArray("elements");
            for (Column column : columns) {
                ObjectNode element = elements.addObject();
                element.put("name", column.name());
                element.putObject("type").put("base", column.redshiftType());
            }
            ObjectNode meta = manifest.putObject("meta");
            meta.put("content_length", contentLength);
            meta.put("record_count", recordCount);
            ObjectNode author = manifest.putObject("author");
            author.put("name", "Amazon Redshift");
            author.put("version", "1.0.0");
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
    }

    private Path newWorkFile(String suffix) throws IOException {
        return Files.createTempFile(workDirectory, "unload-", suffix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    private static UnloadFailedException s3Failure(SdkException e) {
        log.warn("UNLOAD could not write to S3: {}", e.toString());
        return new UnloadFailedException("ERROR: S3ServiceException:" + e.getMessage());
    }

    private static String sqlLiteral(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    @Override
    public void close() {
        s3.close();
    }

    private record ManifestEntry(String url, long contentLength, long recordCount) {}

    /** One file being written: its bytes counted before compression, the header first when there is one. */
    private static final class CsvPart {
        private final Path file;
        private final OutputStream out;
        long bytes;
        long rows;

        CsvPart(Path file, boolean gzip, byte[] header) throws IOException {
            this.file = file;
            OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            this.out = gzip ? new GZIPOutputStream(stream, 64 * 1024) : stream;
            if (header != null) {
                out.write(header);
                bytes += header.length;
            }
        }

        void write(byte[] record) throws IOException {
            out.write(record);
            bytes += record.length;
            rows++;
        }

        Path finish() throws IOException {
            out.close();
            return file;
        }

        void abandon() {
            try {
                out.close();
            } catch (IOException ignored) {
                // deleted either way
            }
            LocalFiles.delete(file);
        }
    }

    /**
     * A result column: how it is read from PostgreSQL, its DuckDB (and so Parquet) type, and its type as
     * Redshift names it in a verbose manifest.
     */
    private record Column(String name, String postgresType, int precision, int scale, Kind kind) {

        enum Kind { SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE, BOOLEAN, DATE, TIMESTAMP, TIMESTAMPTZ, BLOB, TEXT }

        static List<Column> of(ResultSetMetaData metaData) throws SQLException {
            List<Column> columns = new ArrayList<>();
            for (int index = 1; index <= metaData.getColumnCount(); index++) {
                String type = metaData.getColumnTypeName(index);
                int precision = metaData.getPrecision(index);
                int scale = metaData.getScale(index);
                Kind kind = switch (type) {
                    case "int2" -> Kind.SMALLINT;
                    case "int4" -> Kind.INTEGER;
                    case "int8" -> Kind.BIGINT;
                    // PostgreSQL's unconstrained numeric (no precision, or more than Parquet's 38 digits) has no
                    // fixed decimal type; Redshift would have given the expression one, the emulator uses DOUBLE
                    case "numeric" -> precision >= 1 && precision <= 38 ? Kind.DECIMAL : Kind.DOUBLE;
                    case "float4" -> Kind.REAL;
                    case "float8" -> Kind.DOUBLE;
                    case "bool" -> Kind.BOOLEAN;
                    case "date" -> Kind.DATE;
                    case "timestamp" -> Kind.TIMESTAMP;
                    case "timestamptz" -> Kind.TIMESTAMPTZ;
                    case "bytea" -> Kind.BLOB;
                    default -> Kind.TEXT;
                };
                columns.add(new Column(metaData.getColumnLabel(index), type, precision, scale, kind));
            }
            return List.copyOf(columns);
        }

        String duckType() {
            return switch (kind) {
                case SMALLINT -> "SMALLINT";
                case INTEGER -> "INTEGER";
                case BIGINT -> "BIGINT";
                case DECIMAL -> "DECIMAL(" + precision + ", " + scale + ")";
                case REAL -> "FLOAT";
                case DOUBLE -> "DOUBLE";
                case BOOLEAN -> "BOOLEAN";
                case DATE -> "DATE";
                case TIMESTAMP -> "TIMESTAMP";
                case TIMESTAMPTZ -> "TIMESTAMPTZ";
                case BLOB -> "BLOB";
                case TEXT -> "VARCHAR";
            };
        }

        /** Redshift's names, as {@code format_type} gives them; TEXT is Redshift's VARCHAR(256). */
        String redshiftType() {
            return switch (postgresType) {
                case "int2" -> "smallint";
                case "int4" -> "integer";
                case "int8" -> "bigint";
                case "numeric" -> kind == Kind.DECIMAL ? "numeric(" + precision + "," + scale + ")" : "numeric";
                case "float4" -> "real";
                case "float8" -> "double precision";
                case "bool" -> "boolean";
                case "date" -> "date";
                case "timestamp" -> "timestamp without time zone";
                case "timestamptz" -> "timestamp with time zone";
                case "bytea" -> "varbyte";
                case "varchar" -> precision > 0 && precision < Integer.MAX_VALUE
                        ? "character varying(" + precision + ")" : "character varying(256)";
                case "bpchar" -> "character(" + Math.max(1, precision) + ")";
                case "text" -> "character varying(256)";
                default -> postgresType;
            };
        }

        /** The value as CSV text: the server's text, binary as hex (see {@link CsvText}). */
        FieldValue textOf(ResultSet rows, int index) throws SQLException {
            if (kind == Kind.BLOB) {
                byte[] bytes = rows.getBytes(index);
                return bytes == null ? FieldValue.Null.INSTANCE : new FieldValue.BlobValue(bytes);
            }
            String text = rows.getString(index);
            return text == null ? FieldValue.Null.INSTANCE : new FieldValue.StringValue(text);
        }

        /** What the value takes in memory, to cut Parquet files on. */
        long estimatedBytes(ResultSet rows, int index) throws SQLException {
            return switch (kind) {
                case SMALLINT -> 2;
                case INTEGER, REAL, DATE -> 4;
                case BIGINT, DOUBLE, TIMESTAMP, TIMESTAMPTZ -> 8;
                case DECIMAL -> 16;
                case BOOLEAN -> 1;
                case BLOB -> {
                    byte[] bytes = rows.getBytes(index);
                    yield bytes == null ? 0 : bytes.length;
                }
                case TEXT -> {
                    String text = rows.getString(index);
                    yield text == null ? 0 : text.length();
                }
            };
        }

        void append(DuckDBAppender appender, ResultSet rows, int index) throws SQLException {
            switch (kind) {
                case SMALLINT -> {
                    short value = rows.getShort(index);
                    appendOrNull(appender, rows, () -> appender.append(value));
                }
                case INTEGER -> {
                    int value = rows.getInt(index);
                    appendOrNull(appender, rows, () -> appender.append(value));
                }
                case BIGINT -> {
                    long value = rows.getLong(index);
                    appendOrNull(appender, rows, () -> appender.append(value));
                }
                case REAL -> {
                    float value = rows.getFloat(index);
                    appendOrNull(appender, rows, () -> appender.append(value));
                }
                case DOUBLE -> {
                    double value = rows.getDouble(index);
                    appendOrNull(appender, rows, () -> appender.append(value));
                }
                case BOOLEAN -> {
                    boolean value = rows.getBoolean(index);
                    appendOrNull(appender, rows, () -> appender.append(value));
                }
                case DECIMAL -> {
                    BigDecimal value = rows.getBigDecimal(index);
                    if (value == null) {
                        appender.appendNull();
                    } else {
                        appender.append(value.setScale(scale, RoundingMode.HALF_EVEN));
                    }
                }
                case DATE -> appendObject(appender, rows.getObject(index, LocalDate.class));
                case TIMESTAMP -> appendObject(appender, rows.getObject(index, LocalDateTime.class));
                case TIMESTAMPTZ -> appendObject(appender, rows.getObject(index, OffsetDateTime.class));
                case BLOB -> {
                    byte[] value = rows.getBytes(index);
                    if (value == null) {
                        appender.appendNull();
                    } else {
                        appender.append(value);
                    }
                }
                case TEXT -> {
                    String value = rows.getString(index);
                    if (value == null) {
                        appender.appendNull();
                    } else {
                        appender.append(value);
                    }
                }
            }
        }

        private interface Append {
            void run() throws SQLException;
        }

        private static void appendOrNull(DuckDBAppender appender, ResultSet rows, Append append) throws SQLException {
            if (rows.wasNull()) {
                appender.appendNull();
            } else {
                append.run();
            }
        }

        private static void appendObject(DuckDBAppender appender, Object value) throws SQLException {
            switch (value) {
                case null -> appender.appendNull();
                case LocalDate date -> appender.append(date);
                case LocalDateTime dateTime -> appender.append(dateTime);
                case OffsetDateTime dateTime -> appender.append(dateTime);
                default -> throw new SQLException("unexpected value " + value.getClass());
            }
        }
    }

    private static final class LocalFiles {
        static void delete(Path... paths) {
            for (Path path : paths) {
                try {
                    if (Files.isDirectory(path)) {
                        try (var files = Files.walk(path)) {
                            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
                        }
                    } else {
                        Files.deleteIfExists(path);
                    }
                } catch (IOException e) {
                    log.warn("Could not delete {}: {}", path, e.toString());
                }
            }
        }
    }
}
