package dev.spectra.deliveryworker.result;

import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.result.ResultManifest.Column;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Encodes rows in one format, a row at a time, so that the writer knows each row's size before it decides where
 * the row goes (this chunk, the next one, or past a limit). A chunk file is {@link #chunkStart()}, its rows with
 * {@link #separator()} between them, then {@link #chunkEnd()}: every chunk is a file of its own. Not thread-safe.
 */
public abstract sealed class RowEncoder {

    // A factory of its own, not the application's JsonMapper: files are a contract and must not change shape when
    // someone customises serialisation elsewhere. No separator between root values: the writer places them.
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .rootValueSeparator("")
            .build();
    private static final byte[] NOTHING = new byte[0];

    public static RowEncoder of(ResultFormat format, List<Column> columns) {
        return switch (format) {
            case JSON_ARRAY -> new JsonArray();
            case JSON_LINES -> new JsonLines();
            case CSV -> new Csv(columns);
            case PARQUET -> throw new IllegalArgumentException("Parquet is written by the warehouse's UNLOAD, not encoded here");
        };
    }

    /** Appends one row's bytes, its line end included where the format has one. */
    public abstract void encode(List<Field> record, ByteArrayOutputStream into);

    public byte[] chunkStart() {
        return NOTHING;
    }

    public byte[] separator() {
        return NOTHING;
    }

    public byte[] chunkEnd() {
        return NOTHING;
    }

    /** {@code [[1,"EU"],[2,"US"]]}. */
    static final class JsonArray extends RowEncoder {
        private static final byte[] START = {'['};
        private static final byte[] COMMA = {','};
        private static final byte[] END = {']'};
        private final JsonRows rows = new JsonRows();

        @Override
        public void encode(List<Field> record, ByteArrayOutputStream into) {
            rows.encode(record, into);
        }

        @Override
        public byte[] chunkStart() {
            return START;
        }

        @Override
        public byte[] separator() {
            return COMMA;
        }

        @Override
        public byte[] chunkEnd() {
            return END;
        }
    }

    /** {@code [1,"EU"]\n[2,"US"]\n}: one JSON array per line. */
    static final class JsonLines extends RowEncoder {
        private final JsonRows rows = new JsonRows();

        @Override
        public void encode(List<Field> record, ByteArrayOutputStream into) {
            rows.encode(record, into);
            into.write('\n');
        }
    }

    /**
     * CSV as Redshift writes it (GetStatementResultV2's CSV text, UNLOAD's CSV files), so that a CSV export reads the
     * same whichever way it went: RFC 4180 quoting (a field holding a comma, a quote, CR or LF is quoted and its
     * quotes doubled), records ended by LF, a header row at the start of every chunk. NULL is an empty field and the
     * empty string a quoted empty field ({@code ""}), so that the two stay apart; booleans {@code t}/{@code f};
     * binary as hex. A CSV result is normally the Data API's own text, passed through; this encodes rows that came
     * typed (a statement run before it asked for CSV).
     */
    static final class Csv extends RowEncoder {
        private static final HexFormat HEX = HexFormat.of();
        private final byte[] header;
        private final StringBuilder line = new StringBuilder(256);

        Csv(List<Column> columns) {
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    line.append(',');
                }
                appendQuotedIfNeeded(line, columns.get(i).name());
            }
            line.append('\n');
            header = line.toString().getBytes(StandardCharsets.UTF_8);
            line.setLength(0);
        }

        @Override
        public byte[] chunkStart() {
            return header;
        }

        @Override
        public void encode(List<Field> record, ByteArrayOutputStream into) {
            for (int i = 0; i < record.size(); i++) {
                if (i > 0) {
                    line.append(',');
                }
                Field field = record.get(i);
                switch (typeOf(field)) {
                    case IS_NULL -> { }
                    case LONG_VALUE -> line.append(field.longValue());
                    case DOUBLE_VALUE -> line.append(field.doubleValue());
                    case BOOLEAN_VALUE -> line.append(field.booleanValue() ? 't' : 'f');
                    case STRING_VALUE -> appendQuotedIfNeeded(line, field.stringValue());
                    case BLOB_VALUE -> line.append(HEX.formatHex(field.blobValue().asByteArrayUnsafe()));
                    case UNKNOWN_TO_SDK_VERSION -> throw new IllegalStateException("a Data API field of a type this SDK does not know");
                }
            }
            line.append('\n');
            into.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
            line.setLength(0);
        }

        static void appendQuotedIfNeeded(StringBuilder line, String value) {
            boolean quote = value.isEmpty();
            for (int i = 0; i < value.length() && !quote; i++) {
                char c = value.charAt(i);
                quote = c == ',' || c == '"' || c == '\r' || c == '\n';
            }
            if (!quote) {
                line.append(value);
                return;
            }
            line.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"') {
                    line.append('"');
                }
                line.append(c);
            }
            line.append('"');
        }
    }

    /** Rows as JSON arrays, through one generator kept for the encoder's life (rows are root values). */
    private static final class JsonRows {
        private final RowBuffer buffer = new RowBuffer();
        private final JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), buffer);

        void encode(List<Field> record, ByteArrayOutputStream into) {
            buffer.target = into;
            json.writeStartArray();
            for (Field field : record) {
                switch (typeOf(field)) {
                    case IS_NULL -> json.writeNull();
                    case LONG_VALUE -> json.writeNumber(field.longValue());
                    case DOUBLE_VALUE -> writeDouble(json, field.doubleValue());
                    case BOOLEAN_VALUE -> json.writeBoolean(field.booleanValue());
                    // NUMERIC and DECIMAL arrive as strings too: kept as strings, so no precision is lost in JSON.
                    case STRING_VALUE -> json.writeString(field.stringValue());
                    // Jackson's default Base64 variant is standard Base64 with padding and no line feeds.
                    case BLOB_VALUE -> json.writeBinary(field.blobValue().asByteArrayUnsafe());
                    case UNKNOWN_TO_SDK_VERSION -> throw new IllegalStateException("a Data API field of a type this SDK does not know");
                }
            }
            json.writeEndArray();
            json.flush();
        }
    }

    /** Where the generator writes: whichever buffer the current row goes to. */
    private static final class RowBuffer extends java.io.OutputStream {
        private ByteArrayOutputStream target;

        @Override
        public void write(int b) {
            target.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            target.write(bytes, offset, length);
        }
    }

    private static Field.Type typeOf(Field field) {
        Field.Type type = field.type();
        if (type == null) {
            throw new IllegalStateException("a Data API field carries no value");
        }
        return type;
    }

    /** JSON has no NaN or infinities; they travel as the strings "NaN", "Infinity" and "-Infinity". */
    private static void writeDouble(JsonGenerator json, double value) {
        if (Double.isFinite(value)) {
            json.writeNumber(value);
        } else {
            json.writeString(Double.toString(value));
        }
    }
}
