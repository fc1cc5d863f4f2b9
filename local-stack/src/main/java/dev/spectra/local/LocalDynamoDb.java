package dev.spectra.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** DynamoDB Local, in memory and in process, with the job table and the tenant registry provisioned. */
public final class LocalDynamoDb implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalDynamoDb.class);

    private final DynamoDBProxyServer server;
    private final URI endpoint;

    private static final int BIND_ATTEMPTS = 5;

    private static boolean isBindFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    private LocalDynamoDb(DynamoDBProxyServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    /**
     * @param nativeLibraries the folder holding sqlite4java's native library, which DynamoDB Local loads by path
     * @param tenants         the tenant registry's entries
     */
    public static LocalDynamoDb start(Path nativeLibraries, List<Tenant> tenants) {
        System.setProperty("sqlite4java.library.path", nativeLibraries.toAbsolutePath().toString());
        DynamoDBProxyServer server = null;
        int port = 0;
        // A free port found now may be taken by another process before the server binds it: try a few.
        for (int attempt = 1; server == null; attempt++) {
            port = FreePorts.next();
            try {
                DynamoDBProxyServer candidate = ServerRunner.createServerFromCommandLineArgs(
                        new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
                candidate.start();
                server = candidate;
            } catch (Exception e) {
                if (attempt == BIND_ATTEMPTS || !isBindFailure(e)) {
                    throw new IllegalStateException("could not start DynamoDB Local", e);
                }
                log.info("port {} was taken before DynamoDB Local could bind it; trying another", port);
            }
        }
        LocalDynamoDb dynamoDb = new LocalDynamoDb(server, URI.create("http://127.0.0.1:" + port));
        try (DynamoDbClient client = LocalAws.dynamoDb(dynamoDb.endpoint)) {
            createTablesIfAbsent(client);
            register(client, tenants);
        } catch (RuntimeException e) {
            dynamoDb.close();
            throw e;
        }
        log.info("DynamoDB Local ready on {}: tables {} and {}", dynamoDb.endpoint, JobTable.DEFAULT_NAME, TenantTable.DEFAULT_NAME);
        return dynamoDb;
    }

    /**
     * The job table (with its time to live) and the tenant registry, as a deployment declares them; a table that exists
     * is left as it is, so that a compose setup's init can run on every start. Returns whether the registry was new.
     */
    static boolean createTablesIfAbsent(DynamoDbClient client) {
        List<String> existing = client.listTables().tableNames();
        if (!existing.contains(JobTable.DEFAULT_NAME)) {
            client.createTable(JobTable.createTable(JobTable.DEFAULT_NAME));
            client.updateTimeToLive(UpdateTimeToLiveRequest.builder()
                    .tableName(JobTable.DEFAULT_NAME)
                    .timeToLiveSpecification(TimeToLiveSpecification.builder().attributeName(JobTable.EXPIRES_AT).enabled(true).build())
                    .build());
        }
        if (existing.contains(TenantTable.DEFAULT_NAME)) {
            return false;
        }
        client.createTable(TenantTable.createTable(TenantTable.DEFAULT_NAME));
        return true;
    }

    /** Writes the tenants' registry entries, replacing any of the same tenant. */
    static void register(DynamoDbClient client, List<Tenant> tenants) {
        for (Tenant tenant : tenants) {
            client.putItem(TenantTable.put(TenantTable.DEFAULT_NAME, tenant));
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("DynamoDB Local did not stop cleanly: {}", e.toString());
        }
    }
}
