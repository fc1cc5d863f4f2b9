package dev.spectra.local;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The superuser of a PostgreSQL server that stands in for the warehouse but runs outside this JVM (a compose setup's
 * {@code postgres}), as the compose mains read it from their environment: {@code WAREHOUSE_HOST},
 * {@code WAREHOUSE_PORT} (5432), {@code WAREHOUSE_ADMINISTRATOR} ({@value LocalWarehouse#ADMINISTRATOR}) and
 * {@code WAREHOUSE_ADMINISTRATOR_PASSWORD_FILE}, a file, so that the password is in no environment listing.
 */
public record WarehouseAdministrator(String host, int port, String user, String password) {

    public WarehouseAdministrator {
        requireNonNull(host, "host is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
    }

    public static WarehouseAdministrator fromEnvironment(Map<String, String> environment) {
        Path passwordFile = Path.of(ComposeEnvironment.required(environment, "WAREHOUSE_ADMINISTRATOR_PASSWORD_FILE"));
        try {
            return new WarehouseAdministrator(
                    ComposeEnvironment.required(environment, "WAREHOUSE_HOST"),
                    Integer.parseInt(environment.getOrDefault("WAREHOUSE_PORT", "5432")),
                    environment.getOrDefault("WAREHOUSE_ADMINISTRATOR", LocalWarehouse.ADMINISTRATOR),
                    Files.readString(passwordFile).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the warehouse administrator's password from " + passwordFile, e);
        }
    }

    /** The administrator's connection to {@code database}. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {host});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setConnectTimeout(10);
        return dataSource;
    }

    /** The password never reaches a log. */
    @Override
    public String toString() {
        return "WarehouseAdministrator[" + user + "@" + host + ":" + port + "]";
    }
}
