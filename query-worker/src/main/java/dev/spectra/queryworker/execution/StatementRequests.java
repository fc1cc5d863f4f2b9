package dev.spectra.queryworker.execution;

import dev.spectra.common.job.Job;
import dev.spectra.queryworker.config.ResultsProperties;
import dev.spectra.queryworker.config.SessionsProperties;
import dev.spectra.queryworker.config.WarehouseProperties;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ResultFormatString;

import dev.spectra.common.statement.QueryParameter;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The two shapes of ExecuteStatement: opening a session as a database user, or running on a warm session.
 * Both carry a client token, which makes the Data API answer a repeated request with the statement it
 * already started instead of starting another. A job whose result the warehouse exports runs its
 * {@link UnloadStatement} in place of its query, with everything else about the request the same; a CSV job
 * whose rows the delivery worker reads asks the Data API for CSV results, which it passes through as they are.
 */
public final class StatementRequests {

    private final WarehouseProperties warehouse;
    private final SessionsProperties sessions;
    private final ResultsProperties results;

    public StatementRequests(WarehouseProperties warehouse, SessionsProperties sessions, ResultsProperties results) {
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.results = requireNonNull(results, "results is null");
    }

    /**
     * The text the job's statement runs: its UNLOAD when the warehouse writes the result's files
     * ({@link Job#unloads()}), else its query. The same for every attempt, so a repeated client token
     * finds the same request.
     *
     * @throws UnloadStatement.MissingUnloadRoleException when the job needs UNLOAD and no role is configured
     */
    public String sqlOf(Job job) {
        return job.unloads() ? UnloadStatement.of(job, results).text() : job.sql();
    }

    /**
     * The Data API's {@code ResultFormat} for the job: CSV when the delivery worker reads a CSV result page by page
     * ({@link Job#csvFromDataApi()}, read back with GetStatementResultV2), else none, the service's JSON.
     */
    public static ResultFormatString resultFormatOf(Job job) {
        return job.csvFromDataApi() ? ResultFormatString.CSV : null;
    }

    /** The name every statement of a job carries, so that a worker taking the job over can find it. */
    public static String statementNameOf(dev.spectra.common.job.JobId jobId) {
        return "spectra-job-" + jobId.value();
    }

    /**
     * Runs {@code sql} as {@code databaseUser} and keeps the session it opens alive for the next statement of
     * the same user. {@code DbUser} is what confines the statement to its tenant's rows.
     *
     * @param parameters the values the Data API binds to the SQL's markers ({@code JobOptions.boundParameters()})
     * @param format the result's format ({@link #resultFormatOf}); null for the service's default, JSON
     */
    public ExecuteStatementRequest openingSession(String databaseUser, String sql, List<QueryParameter> parameters,
                                                  ResultFormatString format, String clientToken, String statementName) {
        requireNonNull(databaseUser, "databaseUser is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(clientToken, "clientToken is null");
        return ExecuteStatementRequest.builder()
                .clientToken(clientToken)
                .statementName(statementName)
                .clusterIdentifier(warehouse.clusterIdentifier())
                .workgroupName(warehouse.workgroupName())
                .database(warehouse.database())
                .dbUser(databaseUser)
                .sql(sql)
                .parameters(sqlParameters(parameters))
                .resultFormat(format)
                .sessionKeepAliveSeconds(sessions.keepAliveSeconds())
                .build();
    }

    /**
     * Runs {@code sql} on a session opened earlier. The Data API refuses a target, database or user next to a
     * session id: the session already carries them.
     */
    public ExecuteStatementRequest onSession(String sessionId, String sql, List<QueryParameter> parameters,
                                             ResultFormatString format, String clientToken, String statementName) {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(clientToken, "clientToken is null");
        return ExecuteStatementRequest.builder()
                .clientToken(clientToken)
                .statementName(statementName)
                .sessionId(sessionId)
                .sql(sql)
                .parameters(sqlParameters(parameters))
                .resultFormat(format)
                .build();
    }

    /** The Data API's parameters; none at all (not an empty list) for a statement without, as the SDK sends it. */
    private static List<SqlParameter> sqlParameters(List<QueryParameter> parameters) {
        requireNonNull(parameters, "parameters is null");
        if (parameters.isEmpty()) {
            return null;
        }
        return parameters.stream()
                .map(parameter -> SqlParameter.builder().name(parameter.name()).value(parameter.value()).build())
                .toList();
    }
}
