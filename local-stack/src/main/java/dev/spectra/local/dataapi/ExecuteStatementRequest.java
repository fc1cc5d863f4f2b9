package dev.spectra.local.dataapi;

import java.util.List;

/**
 * ExecuteStatement's input members, as sent; absent members are null. Checking them against the real
 * service's rules is {@link DataApiService}'s job, so that every refusal is a ValidationException.
 */
record ExecuteStatementRequest(
        String sql,
        String clusterIdentifier,
        String workgroupName,
        String database,
        String dbUser,
        String secretArn,
        String sessionId,
        Integer sessionKeepAliveSeconds,
        List<SqlParameter> parameters,
        String statementName,
        String clientToken,
        String resultFormat,
        Boolean withEvent) {

    ExecuteStatementRequest {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }
}
