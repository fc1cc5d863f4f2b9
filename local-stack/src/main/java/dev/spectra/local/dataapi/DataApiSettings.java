package dev.spectra.local.dataapi;

import java.net.URI;
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
 * @param resultPageRows     at most this many rows per GetStatementResult(V2) page
 * @param resultPageBytes    at most this many bytes per page (as the Data API counts values, or the CSV text);
 *                           a page ends at whichever bound it reaches first, and never splits a row
 * @param maxSessions        sessions (busy or idle) alive at once before ActiveSessionsExceededException
 * @param maxActiveStatements statements submitted and not yet ended before ActiveStatementsExceededException
 * @param maxResultBytes     one statement's result limit; a statement whose result passes it fails with
 *                           "Database response exceeded size limit"
 * @param spoolDirectory     where result rows are kept on disk; null for a temporary directory of the
 *                           emulator's own, removed when it stops. UNLOAD writes its files under it too,
 *                           before uploading them
 * @param s3Endpoint         where UNLOAD writes (the local S3); null when UNLOAD is not available, which
 *                           then fails the statement
 * @param unloadBucket       the one bucket UNLOAD may write to (the results bucket); null with no endpoint
 */
public record DataApiSettings(
        String postgresHost,
        int postgresPort,
        Map<String, String> passwordsByDbUser,
        int port,
        int resultPageRows,
        long resultPageBytes,
        int maxSessions,
        int maxActiveStatements,
        long maxResultBytes,
        Path spoolDirectory,
        URI s3Endpoint,
        String unloadBucket) {

    /** The real service cuts pages by size; a row bound as well keeps local paging predictable. */
    public static final int DEFAULT_RESULT_PAGE_ROWS = 1000;
    /**
     * AWS documents no page size for GetStatementResult, only that large results come in pages to follow with
     * NextToken; 1 MB is our best knowledge of the real bound, and nothing in Spectra may depend on it.
     */
    public static final long DEFAULT_RESULT_PAGE_BYTES = 1024L * 1024;
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
        if (resultPageBytes < 1) {
            throw new IllegalArgumentException("resultPageBytes must be positive, was " + resultPageBytes);
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
        if ((s3Endpoint == null) != (unloadBucket == null)) {
            throw new IllegalArgumentException("s3Endpoint and unloadBucket go together: both or neither");
        }
        if (unloadBucket != null && unloadBucket.isBlank()) {
            throw new IllegalArgumentException("unloadBucket is blank");
        }
    }

    /** An ephemeral port, the default limits, a temporary spool directory and no UNLOAD. */
    public static DataApiSettings defaults(String postgresHost, int postgresPort, Map<String, String> passwordsByDbUser) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, 0,
                DEFAULT_RESULT_PAGE_ROWS, DEFAULT_RESULT_PAGE_BYTES, DEFAULT_MAX_SESSIONS, DEFAULT_MAX_ACTIVE_STATEMENTS,
                DEFAULT_MAX_RESULT_BYTES, null, null, null);
    }

    public DataApiSettings withPort(int newPort) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, newPort, resultPageRows,
                resultPageBytes, maxSessions, maxActiveStatements, maxResultBytes, spoolDirectory, s3Endpoint, unloadBucket);
    }

    public DataApiSettings withResultPageRows(int rows) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, port, rows,
                resultPageBytes, maxSessions, maxActiveStatements, maxResultBytes, spoolDirectory, s3Endpoint, unloadBucket);
    }

    public DataApiSettings withResultPageBytes(long bytes) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, port, resultPageRows,
                bytes, maxSessions, maxActiveStatements, maxResultBytes, spoolDirectory, s3Endpoint, unloadBucket);
    }

    public DataApiSettings withLimits(int sessions, int activeStatements) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, port, resultPageRows,
                resultPageBytes, sessions, activeStatements, maxResultBytes, spoolDirectory, s3Endpoint, unloadBucket);
    }

    public DataApiSettings withMaxResultBytes(long bytes) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, port, resultPageRows,
                resultPageBytes, maxSessions, maxActiveStatements, bytes, spoolDirectory, s3Endpoint, unloadBucket);
    }

    public DataApiSettings withSpoolDirectory(Path directory) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, port, resultPageRows,
                resultPageBytes, maxSessions, maxActiveStatements, maxResultBytes, directory, s3Endpoint, unloadBucket);
    }

    /** UNLOAD writes to {@code bucket} at {@code endpoint} (S3's API; the local S3 checks no signatures). */
    public DataApiSettings withUnloadTo(URI endpoint, String bucket) {
        return new DataApiSettings(postgresHost, postgresPort, passwordsByDbUser, port, resultPageRows,
                resultPageBytes, maxSessions, maxActiveStatements, maxResultBytes, spoolDirectory,
                requireNonNull(endpoint, "endpoint is null"), requireNonNull(bucket, "bucket is null"));
    }

    /** Passwords never reach logs. */
    @Override
    public String toString() {
        return "DataApiSettings[postgres=" + postgresHost + ":" + postgresPort
                + ", dbUsers=" + passwordsByDbUser.keySet().stream().sorted().toList()
                + ", port=" + port + ", resultPageRows=" + resultPageRows + ", resultPageBytes=" + resultPageBytes
                + ", maxSessions=" + maxSessions + ", maxActiveStatements=" + maxActiveStatements
                + ", maxResultBytes=" + maxResultBytes + ", spoolDirectory=" + spoolDirectory
                + ", unloadTo=" + (s3Endpoint == null ? "none" : s3Endpoint + "/" + unloadBucket) + "]";
    }
}
