package dev.spectra.local.dataapi;

import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.jdbc.PreferQueryMode;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Logs in to PostgreSQL as a statement's database user, with the password that stands in for the
 * temporary credentials the real service obtains from GetClusterCredentials. There is deliberately no
 * shared connection and no SET ROLE: the database sees the tenant's own login, so its grants and
 * row-level security policies apply exactly as they will in Redshift. Every connection it opens is
 * tracked until closed, so that shutting down can close whatever is still open.
 */
final class WarehouseConnector {

    static final String APPLICATION_NAME = "spectra-data-api";
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final String host;
    private final int port;
    private final Map<String, String> passwordsByDbUser;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    WarehouseConnector(String host, int port, Map<String, String> passwordsByDbUser) {
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.passwordsByDbUser = Map.copyOf(passwordsByDbUser);
    }

    /** Thrown when the database user has no credentials, before any connection is tried. */
    static final class NoCredentialsException extends Exception {
        NoCredentialsException(String message) {
            super(message, null, false, false);
        }
    }

    Connection open(WarehouseTarget target) throws SQLException, NoCredentialsException {
        String password = passwordsByDbUser.get(target.dbUser());
        if (password == null) {
            // what PostgreSQL answers a login it cannot authenticate; the real service's temporary
            // credentials would be refused the same way
            throw new NoCredentialsException("FATAL: password authentication failed for user \""
                    + target.dbUser() + "\"");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {host});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(target.database());
        dataSource.setUser(target.dbUser());
        dataSource.setPassword(password);
        dataSource.setApplicationName(APPLICATION_NAME);
        dataSource.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
        dataSource.setLoginTimeout(CONNECT_TIMEOUT_SECONDS);
        dataSource.setTcpKeepAlive(true);
        // results are read as the server's text, which is Redshift's textual format for dates and times
        dataSource.setBinaryTransfer(false);
        // extended protocol: every query goes out in its own Parse message, which the server refuses to
        // hold more than one command; simple mode would send the text as it is
        dataSource.setPreferQueryMode(PreferQueryMode.EXTENDED);
        Connection connection = dataSource.getConnection();
        open.add(connection);
        try (Statement setup = connection.createStatement()) {
            // pgjdbc sends the JVM's zone at login; Redshift sessions run in UTC
            setup.execute("SET TIME ZONE 'UTC'");
        } catch (SQLException e) {
            close(connection);
            throw e;
        }
        return connection;
    }

    void close(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken connection may fail; it is gone either way
        } finally {
            open.remove(connection);
        }
    }

    /**
     * Breaks a connection from outside, even while a statement is executing on it, the way a dropped
     * network connection does: the statement fails with the driver's I/O error.
     */
    void drop(Connection connection) {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException e) {
            // abort refused or failed: closing it is the next best thing
        } finally {
            close(connection);
        }
    }

    void closeAll(List<Connection> connections) {
        connections.forEach(this::close);
    }

    /** Closes every connection still open: the last step of shutting down. */
    void closeEverything() {
        List.copyOf(open).forEach(this::close);
    }

    int openConnections() {
        return open.size();
    }
}
