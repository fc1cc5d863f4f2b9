package dev.spectra.deliveryworker.delivery;

import dev.spectra.deliveryworker.config.DeliveryProperties;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/**
 * Streams Data API pages into the inline result document the gateway returns verbatim:
 * {@code {"columns":[{"name":"region","type":"varchar"}],"rows":[["EU",12]],"row_count":1}}.
 *
 * <p>Bytes are counted row by row, so a result that cannot be delivered inline is abandoned as soon as
 * it outgrows the limit instead of being read to the end.
 */
@Component
public class ResultDocumentWriter {

    // A factory of its own, not the application's JsonMapper: the document is a contract and must not
    // change shape when someone customises serialisation elsewhere (indentation, escaping).
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .build();

    private final long limit;

    public ResultDocumentWriter(DeliveryProperties delivery) {
        this.limit = delivery.inlineMaxBytes().toBytes();
    }

    /** Reads pages only as long as the document stays within the limit. */
    public ResultDocument write(Iterator<GetStatementResultResponse> pages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        long rows = 0;
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            boolean started = false;
            while (pages.hasNext()) {
                GetStatementResultResponse page = pages.next();
                if (!started) {
                    writeColumns(json, page.columnMetadata());
                    json.writeName("rows");
                    json.writeStartArray();
                    started = true;
                }
                for (List<Field> record : page.records()) {
                    writeRow(json, record);
                    rows++;
                    long size = out.size() + json.streamWriteOutputBuffered();
                    if (size > limit) {
                        return new ResultDocument.TooLarge(size, limit);
                    }
                }
            }
            if (!started) {
                throw new IllegalStateException("the Data API returned no page at all");
            }
            json.writeEndArray();
            json.writeName("row_count");
            json.writeNumber(rows);
            json.writeEndObject();
        }
        if (out.size() > limit) {
            return new ResultDocument.TooLarge(out.size(), limit);
        }
        return new ResultDocument.Complete(out.toString(StandardCharsets.UTF_8), rows, out.size());
    }

    private static void writeColumns(JsonGenerator json, List<ColumnMetadata> columns) {
        json.writeName("columns");
        json.writeStartArray();
        for (ColumnMetadata column : columns) {
            json.writeStartObject();
            json.writeName("name");
            json.writeString(column.name());
            json.writeName("type");
            json.writeString(column.typeName());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void writeRow(JsonGenerator json, List<Field> record) {
        json.writeStartArray();
        for (Field field : record) {
            writeValue(json, field);
        }
        json.writeEndArray();
    }

    private static void writeValue(JsonGenerator json, Field field) {
        Field.Type type = field.type();
        if (type == null) {
            throw new IllegalStateException("a Data API field carries no value");
        }
        switch (type) {
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

    /** JSON has no NaN or infinities; they travel as the strings "NaN", "Infinity" and "-Infinity". */
    private static void writeDouble(JsonGenerator json, double value) {
        if (Double.isFinite(value)) {
            json.writeNumber(value);
        } else {
            json.writeString(Double.toString(value));
        }
    }
}
