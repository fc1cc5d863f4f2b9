package dev.spectra.bench;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The warehouse as its administrator sees it: which tenant statements are running, and ending them between
 * scenarios. One connection, kept open, so that sampling does not start a backend each time.
 */
final class WarehouseProbe implements AutoCloseable {

    private final Connection connection;

    WarehouseProbe(DataSource administrator) throws SQLException {
        this.connection = administrator.getConnection();
    }

    /** Statements of these database users executing right now. */
    int running(Collection<String> databaseUsers) {
        return count("SELECT count(*) FROM pg_stat_activity WHERE usename = ANY(?) AND state = 'active'", databaseUsers);
    }

    /** Cancels every running statement of these users; returns how many were asked to stop. */
    int cancelRunning(Collection<String> databaseUsers) {
        return count("SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity WHERE usename = ANY(?) AND state = 'active'",
                databaseUsers);
    }

    /** Rows of {@code sales} per tenant: what each tenant's {@code count(*)} must answer. */
    synchronized Map<String, Long> rowsPerTenant() {
        Map<String, Long> rows = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT tenant_id, count(*) FROM sales GROUP BY tenant_id");
             ResultSet counts = statement.executeQuery()) {
            while (counts.next()) {
                rows.put(counts.getString(1), counts.getLong(2));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("warehouse probe failed: " + e.getMessage(), e);
        }
    }

    private synchronized int count(String sql, Collection<String> databaseUsers) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", databaseUsers.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("warehouse probe failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }
}
