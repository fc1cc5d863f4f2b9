package dev.spectra.cli;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of {@code POST /v1/queries} for a command line. The answer comes at once ({@code wait_seconds} 0): the
 * client follows the job with long polls of its own, so that it can draw progress and print the job id early.
 */
final class SubmissionBody {

    private SubmissionBody() {}

    static ObjectNode of(QueryOptions options, JsonMapper json) {
        ObjectNode body = json.createObjectNode();
        body.put("sql", options.sql());
        body.put("wait_seconds", 0);
        if (options.format().isExport()) {
            body.put("format", options.format().apiFormat());
            body.put("disposition", "EXTERNAL_LINKS");
            // Files are written as they are: gzip would be one more thing to undo before the file is usable.
            body.put("compression", "NONE");
        }
        if (options.timeoutSeconds() != null) {
            body.put("timeout_seconds", options.timeoutSeconds());
        }
        if (!options.parameters().isEmpty()) {
            ArrayNode parameters = body.putArray("parameters");
            for (QueryParameter parameter : options.parameters()) {
                ObjectNode member = parameters.addObject();
                member.put("name", parameter.name());
                if (parameter.value() == null) {
                    member.putNull("value");
                } else {
                    member.put("value", parameter.value());
                }
                member.put("type", parameter.type().name());
            }
        }
        return body;
    }
}
