package dev.spectra.local.dataapi;

import org.postgresql.PGResultSetMetaData;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Streams a JDBC result set into a {@link StatementResult}, mapping PostgreSQL types onto the Data API's
 * field union the way Redshift does: integers as longValue, floating point as doubleValue, bool as
 * booleanValue, bytea as blobValue, and everything else (numeric, character, date and time types) as
 * stringValue in the server's textual form. Values are read as text, so the connection's DateStyle (ISO)
 * and TimeZone (UTC) give Redshift's formats such as {@code 2024-01-31 10:15:00}.
 *
 * <p>Rows go to a {@link SpooledRows} file as they are read, and the size limits are checked on every row:
 * with the runner's cursor (autocommit off, a small fetch size) the driver holds one fetch of rows at a
 * time, so a result over the limit fails as soon as it passes the limit, with the real service's message,
 * and the rest of it is never produced.
 */
final class ResultSetReader {

    /** The real service refuses rows over 64 KB ("Packet for query is too large"). */
    static final long MAX_ROW_BYTES = 64 * 1024;

    private static final Set<String> TEXTUAL_DESPITE_JDBC_TYPE = Set.of("money", "numeric");

    private final long maxResultBytes;
    private final Path spoolDirectory;
    private final int pageRows;
    private final long pageBytes;

    /**
     * @param maxResultBytes a result's limit, counted both as the Data API counts values and as the bytes
     *                       its file takes (so that a result of NULLs, which the Data API counts as empty,
     *                       cannot fill the disk)
     * @param spoolDirectory where result files go
     * @param pageRows       a GetStatementResult page's most rows
     * @param pageBytes      a page's most bytes, counted as the result's size is (values, or CSV text)
     */
    ResultSetReader(long maxResultBytes, Path spoolDirectory, int pageRows, long pageBytes) {
        if (maxResultBytes < 1) {
            throw new IllegalArgumentException("maxResultBytes must be positive");
        }
        this.maxResultBytes = maxResultBytes;
        this.spoolDirectory = requireNonNull(spoolDirectory, "spoolDirectory is null");
        this.pageRows = pageRows;
        this.pageBytes = pageBytes;
    }

    /** Thrown when a result breaks one of the Data API's size limits; the statement then fails with its message. */
    static final class ResultTooLargeException extends Exception {
        ResultTooLargeException(String message) {
            super(message, null, false, false);
        }
    }

    private enum Kind { LONG, DOUBLE, BOOLEAN, BLOB, STRING }

    /**
     * Reads the whole result. A CSV result keeps every value as the server's text (binary as bytes, printed
     * as hex), and its size is the bytes of its CSV text, header included: what GetStatementResultV2's pages
     * hold together, and what DescribeStatement's ResultSize reports for it.
     */
    StatementResult read(ResultSet resultSet, ResultFormat format) throws SQLException, ResultTooLargeException, IOException {
        ResultSetMetaData metaData = resultSet.getMetaData();
        int columnCount = metaData.getColumnCount();
        Kind[] kinds = new Kind[columnCount];
        for (int column = 1; column <= columnCount; column++) {
            Kind kind = kindOf(metaData.getColumnType(column), metaData.getColumnTypeName(column));
            kinds[column - 1] = format == ResultFormat.CSV && kind != Kind.BLOB ? Kind.STRING : kind;
        }
        List<ResultColumn> columns = columns(metaData);
        try (SpooledRows.Writer rows = new SpooledRows.Writer(spoolDirectory, columnCount, pageRows, pageBytes)) {
            long totalBytes = 0;
            if (format == ResultFormat.CSV) {
                long headerBytes = CsvText.utf8Length(CsvText.header(columns));
                rows.reserveOnFirstPage(headerBytes);
                totalBytes += headerBytes;
            }
            long rowNumber = 0;
            while (resultSet.next()) {
                rowNumber++;
                FieldValue[] row = new FieldValue[columnCount];
                long rowBytes = 0;
                for (int column = 1; column <= columnCount; column++) {
                    FieldValue value = value(resultSet, column, kinds[column - 1]);
                    row[column - 1] = value;
                    rowBytes += value.size();
                }
                if (rowBytes > MAX_ROW_BYTES) {
                    throw new ResultTooLargeException("Packet for query is too large: row " + rowNumber
                            + " of the result is " + rowBytes + " bytes, over the Data API limit of 64 KB per row.");
                }
                // the 64 KB row limit counts values, whatever the format; pages and the result count what they carry
                long carriedBytes = format == ResultFormat.CSV ? CsvText.recordBytes(row) : rowBytes;
                totalBytes += carriedBytes;
                rows.append(row, carriedBytes);
                if (totalBytes > maxResultBytes || rows.bytes() > maxResultBytes) {
                    throw new ResultTooLargeException("Database response exceeded size limit: the result is over "
                            + maxResultBytes + " bytes. Use LIMIT to return less.");
                }
            }
            return new StatementResult(columns, rows.finish(), totalBytes, format);
        }
    }

    private static Kind kindOf(int jdbcType, String typeName) {
        if (TEXTUAL_DESPITE_JDBC_TYPE.contains(typeName)) {
            return Kind.STRING;
        }
        return switch (jdbcType) {
            case Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.TINYINT -> Kind.LONG;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> Kind.DOUBLE;
            case Types.BIT, Types.BOOLEAN -> "bool".equals(typeName) ? Kind.BOOLEAN : Kind.STRING;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> Kind.BLOB;
            default -> Kind.STRING;
        };
    }

    private static FieldValue value(ResultSet resultSet, int column, Kind kind) throws SQLException {
        switch (kind) {
            case LONG -> {
                long value = resultSet.getLong(column);
                return resultSet.wasNull() ? FieldValue.Null.INSTANCE : new FieldValue.LongValue(value);
            }
            case DOUBLE -> {
                double value = resultSet.getDouble(column);
                if (resultSet.wasNull()) {
                    return FieldValue.Null.INSTANCE;
                }
                // JSON has no NaN or Infinity; the server's spelling survives as text
                return Double.isFinite(value)
                        ? new FieldValue.DoubleValue(value)
                        : new FieldValue.StringValue(resultSet.getString(column));
            }
            case BOOLEAN -> {
                boolean value = resultSet.getBoolean(column);
                return resultSet.wasNull() ? FieldValue.Null.INSTANCE : new FieldValue.BooleanValue(value);
            }
            case BLOB -> {
                byte[] value = resultSet.getBytes(column);
                return value == null ? FieldValue.Null.INSTANCE : new FieldValue.BlobValue(value);
            }
            default -> {
                String value = resultSet.getString(column);
                return value == null ? FieldValue.Null.INSTANCE : new FieldValue.StringValue(value);
            }
        }
    }

    private static List<ResultColumn> columns(ResultSetMetaData metaData) throws SQLException {
        PGResultSetMetaData postgres = metaData.unwrap(PGResultSetMetaData.class);
        List<ResultColumn> columns = new ArrayList<>(metaData.getColumnCount());
        for (int column = 1; column <= metaData.getColumnCount(); column++) {
            String label = metaData.getColumnLabel(column);
            columns.add(new ResultColumn(
                    label,
                    label,
                    metaData.getColumnTypeName(column),
                    metaData.isNullable(column),
                    metaData.getPrecision(column),
                    metaData.getScale(column),
                    metaData.isSigned(column),
                    metaData.isCaseSensitive(column),
                    metaData.isCurrency(column),
                    metaData.getColumnDisplaySize(column),
                    nullToEmpty(postgres.getBaseSchemaName(column)),
                    nullToEmpty(postgres.getBaseTableName(column)),
                    null));
        }
        return columns;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
