package dev.spectra.local.dataapi;

import dev.spectra.local.ComposeEnvironment;
import dev.spectra.local.LocalWarehouse;
import dev.spectra.local.WarehouseAdministrator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The Data API emulator on its own, as the compose setup's {@code data-api-emulator} container runs it, in front of a
 * PostgreSQL that its init provisioned. Configured from the environment:
 * <ul>
 *   <li>{@code WAREHOUSE_HOST}, {@code WAREHOUSE_PORT}, {@code WAREHOUSE_ADMINISTRATOR},
 *       {@code WAREHOUSE_ADMINISTRATOR_PASSWORD_FILE}: see {@link WarehouseAdministrator};
 *   <li>{@code DATA_API_PORT}: where it listens, on every interface ({@value #DEFAULT_PORT});
 *   <li>{@code DATA_API_SPOOL_DIRECTORY}: where results are kept (a temporary directory when unset);
 *   <li>{@code DATA_API_UNLOAD_S3_ENDPOINT} and {@code DATA_API_UNLOAD_BUCKET}: where UNLOAD writes (no UNLOAD when unset).
 * </ul>
 * At start it issues every tenant login a fresh password ({@link LocalWarehouse#issueTenantPasswords}), as
 * GetClusterCredentials would, and runs until the JVM is told to stop (SIGTERM from {@code docker stop}).
 */
public final class DataApiEmulatorMain {

    public static final int DEFAULT_PORT = 9500;
    /**
     * Sessions and active statements, as the local stack's emulator allows: each holds a PostgreSQL connection, and
     * 64 + 64 stays under the compose setup's max_connections (200). The query worker opens at most half.
     */
    static final int WAREHOUSE_SESSIONS = 64;

    private static final Logger log = LoggerFactory.getLogger(DataApiEmulatorMain.class);
    private static final Duration WAREHOUSE_WAIT = Duration.ofSeconds(120);

    private DataApiEmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        DataApiEmulator emulator = start(System.getenv());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "data-api-emulator-shutdown"));
        stopped.await();
    }

    /** Starts the emulator the environment describes; the caller closes it. */
    public static DataApiEmulator start(Map<String, String> environment) {
        WarehouseAdministrator administrator = WarehouseAdministrator.fromEnvironment(environment);
        Map<String, String> passwords = ComposeEnvironment.retry("issuing the tenants' passwords in " + administrator,
                WAREHOUSE_WAIT, () -> LocalWarehouse.issueTenantPasswords(administrator.dataSource(LocalWarehouse.DATABASE)));
        if (passwords.isEmpty()) {
            throw new IllegalStateException("the warehouse has no tenant logins: provision it first (the compose setup's init)");
        }
        DataApiSettings settings = DataApiSettings.defaults(administrator.host(), administrator.port(), passwords)
                .withPort(Integer.parseInt(environment.getOrDefault("DATA_API_PORT", String.valueOf(DEFAULT_PORT))))
                .withLimits(WAREHOUSE_SESSIONS, WAREHOUSE_SESSIONS);
        String spool = environment.get("DATA_API_SPOOL_DIRECTORY");
        if (spool != null && !spool.isBlank()) {
            settings = settings.withSpoolDirectory(Path.of(spool));
        }
        String s3 = environment.get("DATA_API_UNLOAD_S3_ENDPOINT");
        if (s3 != null && !s3.isBlank()) {
            settings = settings.withUnloadTo(URI.create(s3), ComposeEnvironment.required(environment, "DATA_API_UNLOAD_BUCKET"));
        }
        DataApiEmulator emulator = DataApiEmulator.start(settings, anyInterface());
        log.info("Data API emulator for {} tenant logins on port {}", passwords.size(), emulator.endpoint().getPort());
        return emulator;
    }

    private static InetAddress anyInterface() {
        try {
            return InetAddress.getByName("0.0.0.0");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
