package dev.spectra.local.dataapi;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The awsJson1_1 shapes of the emulated operations: PascalCase members, lower camel case inside
 * {@code SqlParameter}, {@code Field} and {@code ColumnMetadata}, timestamps as epoch seconds, blobs as
 * base64. Unknown input members are ignored, as AWS does.
 */
final class DataApiJson {

    private final JsonMapper mapper;

    DataApiJson(JsonMapper mapper) {
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return mapper.createObjectNode();
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JacksonException e) {
            throw DataApiException.serialization("The request body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw DataApiException.serialization("The request body must be a JSON object.");
        }
        return node;
    }

    ExecuteStatementRequest executeStatementRequest(JsonNode input) {
        return new ExecuteStatementRequest(
                string(input, "Sql"),
                string(input, "ClusterIdentifier"),
                string(input, "WorkgroupName"),
                string(input, "Database"),
                string(input, "DbUser"),
                string(input, "SecretArn"),
                string(input, "SessionId"),
                integer(input, "SessionKeepAliveSeconds"),
                parameters(input.get("Parameters")),
                string(input, "StatementName"),
                string(input, "ClientToken"),
                string(input, "ResultFormat"),
                bool(input, "WithEvent"));
    }

    ListStatementsRequest listStatementsRequest(JsonNode input) {
        return new ListStatementsRequest(
                integer(input, "MaxResults"),
                string(input, "NextToken"),
                string(input, "Status"),
                string(input, "StatementName"),
                bool(input, "RoleLevel"),
                string(input, "Database"),
                string(input, "ClusterIdentifier"),
                string(input, "WorkgroupName"));
    }

    String string(JsonNode input, String member) {
        JsonNode value = input.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw DataApiException.serialization("Member " + member + " must be a string.");
        }
        return value.stringValue();
    }

    Integer integer(JsonNode input, String member) {
        JsonNode value = input.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw DataApiException.serialization("Member " + member + " must be an integer.");
        }
        return value.intValue();
    }

    private Boolean bool(JsonNode input, String member) {
        JsonNode value = input.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw DataApiException.serialization("Member " + member + " must be a boolean.");
        }
        return value.booleanValue();
    }

    private List<SqlParameter> parameters(JsonNode list) {
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw DataApiException.serialization("Member Parameters must be a list.");
        }
        List<SqlParameter> parameters = new ArrayList<>(list.size());
        for (JsonNode item : list) {
            if (!item.isObject()) {
                throw DataApiException.serialization("Each member of Parameters must be an object.");
            }
            String name = string(item, "name");
            String value = string(item, "value");
            if (name == null || value == null) {
                throw DataApiException.validation("Each parameter needs a name and a value.");
            }
            parameters.add(new SqlParameter(name, value));
        }
        return parameters;
    }

    ObjectNode executeStatementResponse(StatementSnapshot statement) {
        ObjectNode output = mapper.createObjectNode();
        output.put("Id", statement.id());
        output.put("CreatedAt", epochSeconds(statement.createdAt()));
        target(output, statement.target());
        if (statement.sessionId() != null) {
            output.put("SessionId", statement.sessionId());
        }
        return output;
    }

    ObjectNode describeStatementResponse(StatementSnapshot statement) {
        ObjectNode output = mapper.createObjectNode();
        output.put("Id", statement.id());
        output.put("Status", statement.status().name());
        output.put("QueryString", statement.queryString());
        output.put("CreatedAt", epochSeconds(statement.createdAt()));
        output.put("UpdatedAt", epochSeconds(statement.updatedAt()));
        output.put("Duration", statement.durationNanos());
        if (statement.error() != null) {
            output.put("Error", statement.error());
        }
        output.put("HasResultSet", statement.hasResultSet());
        output.put("ResultRows", statement.resultRows());
        output.put("ResultSize", statement.resultSize());
        output.put("RedshiftPid", statement.redshiftPid());
        output.put("RedshiftQueryId", statement.redshiftQueryId());
        target(output, statement.target());
        if (statement.sessionId() != null) {
            output.put("SessionId", statement.sessionId());
        }
        if (!statement.parameters().isEmpty()) {
            parameters(output.putArray("QueryParameters"), statement.parameters());
        }
        return output;
    }

    ObjectNode resultResponse(ResultPage page) {
        ObjectNode output = mapper.createObjectNode();
        ArrayNode records = output.putArray("Records");
        for (List<FieldValue> row : page.rows()) {
            ArrayNode fields = records.addArray();
            for (FieldValue value : row) {
                field(fields.addObject(), value);
            }
        }
        ArrayNode columns = output.putArray("ColumnMetadata");
        for (ResultColumn column : page.columns()) {
            column(columns.addObject(), column);
        }
        output.put("TotalNumRows", page.totalNumRows());
        if (page.nextToken() != null) {
            output.put("NextToken", page.nextToken());
        }
        return output;
    }

    /**
     * A GetStatementResultV2 page: the page's rows as one {@code CSVRecords} text, in the list the API model
     * names {@code Records} (the documentation's prose calls it FormattedRecords; the SDK reads {@code Records}). The first page starts with
     * a header record of the columns' names, as the service's documented example shows; later pages hold
     * rows only, so the pages concatenated are one CSV file. TotalNumRows counts rows, never the header.
     */
    ObjectNode resultV2Response(ResultPage page) {
        ObjectNode output = mapper.createObjectNode();
        StringBuilder csv = new StringBuilder();
        if (page.first()) {
            csv.append(CsvText.header(page.columns()));
        }
        for (List<FieldValue> row : page.rows()) {
            CsvText.appendRecord(csv, row);
        }
        output.putArray("Records").addObject().put("CSVRecords", csv.toString());
        ArrayNode columns = output.putArray("ColumnMetadata");
        for (ResultColumn column : page.columns()) {
            column(columns.addObject(), column);
        }
        output.put("TotalNumRows", page.totalNumRows());
        output.put("ResultFormat", ResultFormat.CSV.name());
        if (page.nextToken() != null) {
            output.put("NextToken", page.nextToken());
        }
        return output;
    }

    ObjectNode cancelResponse(boolean status) {
        ObjectNode output = mapper.createObjectNode();
        output.put("Status", status);
        return output;
    }

    ObjectNode listResponse(StatementPage page) {
        ObjectNode output = mapper.createObjectNode();
        ArrayNode statements = output.putArray("Statements");
        for (StatementSnapshot statement : page.statements()) {
            ObjectNode item = statements.addObject();
            item.put("Id", statement.id());
            item.put("QueryString", statement.queryString());
            item.put("Status", statement.status().name());
            if (statement.statementName() != null) {
                item.put("StatementName", statement.statementName());
            }
            item.put("CreatedAt", epochSeconds(statement.createdAt()));
            item.put("UpdatedAt", epochSeconds(statement.updatedAt()));
            item.put("IsBatchStatement", false);
            if (statement.sessionId() != null) {
                item.put("SessionId", statement.sessionId());
            }
            if (!statement.parameters().isEmpty()) {
                parameters(item.putArray("QueryParameters"), statement.parameters());
            }
        }
        if (page.nextToken() != null) {
            output.put("NextToken", page.nextToken());
        }
        return output;
    }

    ObjectNode error(DataApiException error) {
        ObjectNode output = mapper.createObjectNode();
        output.put("__type", error.type().wireName());
        output.put("message", error.getMessage());
        for (Map.Entry<String, String> member : error.members().entrySet()) {
            output.put(member.getKey(), member.getValue());
        }
        return output;
    }

    byte[] write(ObjectNode output) {
        return mapper.writeValueAsBytes(output);
    }

    private static void target(ObjectNode output, WarehouseTarget target) {
        if (target.clusterIdentifier() != null) {
            output.put("ClusterIdentifier", target.clusterIdentifier());
        } else {
            output.put("WorkgroupName", target.workgroupName());
        }
        output.put("Database", target.database());
        output.put("DbUser", target.dbUser());
    }

    private static void parameters(ArrayNode list, List<SqlParameter> parameters) {
        for (SqlParameter parameter : parameters) {
            ObjectNode item = list.addObject();
            item.put("name", parameter.name());
            item.put("value", parameter.value());
        }
    }

    private static void field(ObjectNode field, FieldValue value) {
        switch (value) {
            case FieldValue.Null ignored -> field.put("isNull", true);
            case FieldValue.LongValue longValue -> field.put("longValue", longValue.value());
            case FieldValue.DoubleValue doubleValue -> field.put("doubleValue", doubleValue.value());
            case FieldValue.BooleanValue booleanValue -> field.put("booleanValue", booleanValue.value());
            case FieldValue.StringValue stringValue -> field.put("stringValue", stringValue.value());
            case FieldValue.BlobValue blobValue -> field.put("blobValue", blobValue.value());
        }
    }

    private static void column(ObjectNode output, ResultColumn column) {
        output.put("name", column.name());
        output.put("label", column.label());
        output.put("typeName", column.typeName());
        output.put("nullable", column.nullable());
        output.put("precision", column.precision());
        output.put("scale", column.scale());
        output.put("isSigned", column.isSigned());
        output.put("isCaseSensitive", column.isCaseSensitive());
        output.put("isCurrency", column.isCurrency());
        output.put("length", column.length());
        output.put("schemaName", column.schemaName());
        output.put("tableName", column.tableName());
        if (column.columnDefault() != null) {
            output.put("columnDefault", column.columnDefault());
        }
    }

    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }
}
