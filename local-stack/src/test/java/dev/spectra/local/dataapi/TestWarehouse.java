package dev.spectra.local.dataapi;

import dev.spectra.local.TestRepository;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * An embedded PostgreSQL standing in for the Redshift cluster: tenant roles that must log in with their
 * password (zonky's default is trust, which would accept any password), a {@code dev} database and a
 * {@code sales} table whose row-level security shows each tenant only its own rows.
 */
final class TestWarehouse implements AutoCloseable {

    static final String DATABASE = "dev";
    static final String CLUSTER = "spectra-local";
    static final String ACME = "tenant_acme";
    static final String GLOBEX = "tenant_globex";
    /** Used only by tests that start their own emulator, so its connections can be counted alone. */
    static final String INITECH = "tenant_initech";
    /** A real role whose password in the emulator's map is wrong. */
    static final String LOCKED = "tenant_locked";
    /** Rows of ACME's in {@code sales}: 25 full ones (ids 1..25) and one of NULLs (id 26). */
    static final int ACME_ROWS = 26;
    static final int GLOBEX_ROWS = 5;

    static final Map<String, String> PASSWORDS = Map.of(
            ACME, "acme-secret",
            GLOBEX, "globex-secret",
            INITECH, "initech-secret",
            LOCKED, "not-the-password");

    private static final String PG_HBA = """
            local all all trust
            host all postgres 127.0.0.1/32 trust
            host all postgres ::1/128 trust
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final DataSource superuser;

    private TestWarehouse(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.superuser = postgres.getDatabase("postgres", DATABASE);
    }

    /** The real SDK client, pointed at an emulator, as the query worker builds it. */
    static RedshiftDataClient clientFor(URI endpoint) {
        return clientFor(endpoint, "local");
    }

    /** The same client signing as another caller (access key id), whose client tokens are its own. */
    static RedshiftDataClient clientFor(URI endpoint, String accessKeyId) {
        return RedshiftDataClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A client that reports the emulator's first answer, where the default one retries throttling and 5xx. */
    static RedshiftDataClient clientWithoutRetriesFor(URI endpoint) {
        return RedshiftDataClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(configuration -> configuration.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static TestWarehouse start() {
        try {
            Path root = TestRepository.root();
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(root.resolve(".spectra/cache/postgres").toFile())
                    .setDataDirectoryCustomizer(dataDirectory -> {
                        try {
                            Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), PG_HBA);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .start();
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + DATABASE);
                for (String role : new String[] {ACME, GLOBEX, INITECH}) {
                    statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORDS.get(role) + "'");
                }
                statement.execute("CREATE ROLE " + LOCKED + " LOGIN PASSWORD 'the-real-password'");
            }
            TestWarehouse warehouse = new TestWarehouse(postgres);
            warehouse.seed();
            return warehouse;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void seed() throws SQLException {
        try (Connection connection = superuser.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE sales (
                        id int PRIMARY KEY,
                        tenant text NOT NULL,
                        region varchar(16),
                        amount numeric(10, 2),
                        units bigint,
                        ratio double precision,
                        active boolean,
                        sold_on date,
                        sold_at timestamp,
                        payload bytea,
                        note text)""");
            statement.execute("""
                    INSERT INTO sales
                    SELECT g, 'tenant_acme', CASE WHEN g % 2 = 0 THEN 'EU' ELSE 'US' END, g * 10.25, g * 100,
                           g / 4.0, g % 3 = 0, DATE '2024-01-01' + g, TIMESTAMP '2024-01-31 10:15:00' + g * INTERVAL '1 hour',
                           decode('cafe' || lpad(to_hex(g), 2, '0'), 'hex'), 'row ' || g
                    FROM generate_series(1, 25) g""");
            statement.execute("INSERT INTO sales (id, tenant) VALUES (26, 'tenant_acme')");
            statement.execute("""
                    INSERT INTO sales (id, tenant, region, amount, units)
                    SELECT 100 + g, 'tenant_globex', 'APAC', g, g FROM generate_series(1, 5) g""");
            statement.execute("ALTER TABLE sales ENABLE ROW LEVEL SECURITY");
            statement.execute("CREATE POLICY own_rows ON sales FOR SELECT USING (tenant = current_user)");
            statement.execute("GRANT SELECT ON sales TO " + ACME + ", " + GLOBEX + ", " + INITECH);
            // nextval is not transactional: a call survives a rollback, so the administrator sees whether
            // a tenant's text ever ran a command that calls it
            statement.execute("CREATE SEQUENCE probe");
            statement.execute("GRANT USAGE ON SEQUENCE probe TO " + ACME + ", " + GLOBEX + ", " + INITECH);
        }
    }

    String host() {
        return "localhost";
    }

    int port() {
        return postgres.getPort();
    }

    DataApiSettings settings() {
        return DataApiSettings.defaults(host(), port(), PASSWORDS);
    }

    /** Backends logged in as {@code dbUser}, as PostgreSQL itself sees them. */
    int connectionsOf(String dbUser) {
        return count("SELECT count(*) FROM pg_stat_activity WHERE usename = ?", dbUser);
    }

    /** How often anyone called {@code nextval('probe')}. */
    long probeCalls() {
        try (Connection connection = superuser.getConnection();
             Statement statement = connection.createStatement();
             ResultSet resultSet = statement.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM probe")) {
            resultSet.next();
            return resultSet.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean backendAlive(long pid) {
        return count("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", (int) pid) > 0;
    }

    private int count(String sql, Object argument) {
        try (Connection connection = superuser.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, argument);
            try (ResultSet resultSet = statement.executeQuery()) {
                resultSet.next();
                return resultSet.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
