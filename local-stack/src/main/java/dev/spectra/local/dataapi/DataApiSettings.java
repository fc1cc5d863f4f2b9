package dev.spectra.local.dataapi;

import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * How the Data API emulator reaches the warehouse and how much it admits.
 *
 * @param postgresHost       host of the PostgreSQL server standing in for the Redshift cluster
 * @param postgresPort       its port
 * @param passwordsByDbUser  the password of each database user; stands in for the temporary credentials
 *                           Redshift's GetClusterCredentials hands the real service, so a DbUser missing
 *                           here cannot log in
 * @param port               HTTP port on loopback; 0 picks a free one
 * @param resultPageRows     rows per GetStatementResult page
 * @param maxSessions        sessions (busy or idle) alive at once before ActiveSessionsExceededException
 * @param maxActiveStatements statements submitted and not yet ended before ActiveStatementsExceededException
 * @param maxResultBytes     one statement's result limit; a statement whose result passes it fails with
 *                           "Database response exceeded size limit"
 * @param spoolDirectory     where result rows are kept on disk; null for a temporary directory of the
 *                           emulator's own, removed when it stops
 */
public record DataApiSettings(
        String postgresHost,
        int postgresPort,
        Map<String, String> passwordsByDbUser,
        int port,
        int resultPageRows,
        int maxSessions,
        int maxActiveStatements,
        long maxResultBytes,
        Path spoolDirectory) {

    /** The real service's page size is bounded by bytes; a row count keeps local paging predictable. */
    public static final int DEFAULT_RESULT_PAGE_ROWS = 1000;
    /** The real service allows 500 sessions per cluster or workgroup. */
    public static final int DEFAULT_MAX_SESSIONS = 500;
    /** Each active statement holds a PostgreSQL connection, so this stays well under max_connections (100). */
    public static final int DEFAULT_MAX_ACTIVE_STATEMENTS = 32;
    /** The real service allows 500 MB; a laptop is better served by less. */
    public static final long DEFAULT_MAX_RESULT_BYTES = 100L * 1024 * 1024;

    public DataApiSettings {
        requireNonNull(postgresHost, "postgresHost is null");
        requireNonNull(passwordsByDbUser, "passwordsByDbUser is null");
        passwordsByDbUser = Map.copyOf(passwordsByDbUser);
        if (postgresHost.isBlank()) {
            throw new IllegalArgumentException("postgresHost is blank");
        }
        if (postgresPort < 1 || postgresPort > 65535) {
            throw new IllegalArgumentException("postgresPort must be 1..65535, was " + postgresPort);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (resultPageRows < 1) {
            throw new IllegalArgumentException("resultPageRows must be positive, was " + resultPageRows);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be positive, was " + maxSessions);
        }
        if (maxActiveStatements < 1) {
            throw new IllegalArgumentException("maxActiveStatements must be positive, was " + maxActiveStatements);
        }
        if (maxResultBytes < 1) {
            throw new IllegalArgumentException("maxResultBytes must be positive, was " + maxResultBytes);
        }
    }

    /** An ephemeral port, the default limits and a temporary spool directory. */
    public static DataApiSettings defaults(String postgresHost, int postgresPort, Map<String, String> passwordsByDbUser) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, 0,
                DEFAULT_RESULT_PAGE_ROWS, DEFAULT_MAX_SESSIONS, DEFAULT_MAX_ACTIVE_STATEMENTS,
                DEFAULT_MAX_RESULT_BYTES, null);
    }

    public DataApiSettings withPort(int newPort) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, newPort,
                resultPageRows, maxSessions, maxActiveStatements, maxResultBytes, spoolDirectory);
    }

    public DataApiSettings withResultPageRows(int rows) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, port,
                rows, maxSessions, maxActiveStatements, maxResultBytes, spoolDirectory);
    }

    public DataApiSettings withLimits(int sessions, int activeStatements) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, port,
                resultPageRows, sessions, activeStatements, maxResultBytes, spoolDirectory);
    }

    public DataApiSettings withMaxResultBytes(long bytes) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, port,
                resultPageRows, maxSessions, maxActiveStatements, bytes, spoolDirectory);
    }

    public DataApiSettings withSpoolDirectory(Path directory) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, port,
                resultPageRows, maxSessions, maxActiveStatements, maxResultBytes, directory);
    }

    /** Passwords never reach logs. */
    @Override
    public String toString() {
        return "DataApiSettings[postgres=" + postgresHost + ":" + postgresPort
                + ", dbUsers=" + passwordsByDbUser.keySet().stream().sorted().toList()
                + ", port=" + port + ", resultPageRows=" + resultPageRows
                + ", maxSessions=" + maxSessions + ", maxActiveStatements=" + maxActiveStatements
                + ", maxResultBytes=" + maxResultBytes + ", spoolDirectory=" + spoolDirectory + "]";
    }
}
