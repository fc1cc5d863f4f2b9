package dev.spectra.gateway.docs;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.statement.ParameterType;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/queries}, for the OpenAPI document; {@code QueryRequestReader} reads it, strictly (an
 * unknown member is a 400), and is what these words describe.
 */
@Schema(name = "SubmitRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record SubmitRequestDocument(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "One read-only query; `:name` marks a parameter",
                example = "SELECT region, SUM(amount) AS revenue FROM sales WHERE region = :region GROUP BY region") String sql,
        @Schema(description = "Values for the SQL's `:name` markers, bound by the warehouse, never written into the SQL")
        List<Parameter> parameters,
        @Schema(description = "Your label for the job, 1 to 128 characters; a list filter", maxLength = 128) String name,
        @Schema(description = "Up to 10 labels; list filters (`tag=key:value`)") Map<String, String> tags,
        @JsonProperty("timeout_seconds") @Schema(description = "The job's own time from submission; at most, and by default, "
                + "the tenant's maximum", minimum = "1") Long timeoutSeconds,
        @JsonProperty("wait_seconds") @Schema(description = "Hold the answer until the job ends or this elapses", minimum = "0",
                maximum = "50", defaultValue = "0") Integer waitSeconds,
        @JsonProperty("on_wait_timeout") @Schema(description = "What happens to a job still running when the wait elapses",
                allowableValues = {"CONTINUE", "CANCEL"}, defaultValue = "CONTINUE") String onWaitTimeout,
        @Schema(defaultValue = "AUTO") Disposition disposition,
        @Schema(defaultValue = "JSON_ARRAY") ResultFormat format,
        @Schema(defaultValue = "NONE") Compression compression,
        @JsonProperty("row_limit") @Schema(minimum = "1", description = "Cut the result after this many rows (truncated)") Long rowLimit,
        @JsonProperty("byte_limit") @Schema(minimum = "1", description = "Cut the result at a row end before this many bytes")
        Long byteLimit) {

    @Schema(name = "Parameter", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Parameter(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = "[A-Za-z_][A-Za-z0-9_]{0,127}") String name,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "A string, number or boolean the type accepts, or "
                    + "null for SQL NULL", types = {"string", "number", "boolean", "null"}) Object value,
            @Schema(defaultValue = "STRING") ParameterType type) {
    }
}
