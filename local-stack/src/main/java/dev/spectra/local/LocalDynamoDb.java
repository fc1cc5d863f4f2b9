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
        int port = FreePorts.next();
        DynamoDBProxyServer server;
        try {
            server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start DynamoDB Local", e);
        }
        LocalDynamoDb dynamoDb = new LocalDynamoDb(server, URI.create("http://127.0.0.1:" + port));
        try (DynamoDbClient client = LocalAws.dynamoDb(dynamoDb.endpoint)) {
            client.createTable(JobTable.createTable(JobTable.DEFAULT_NAME));
            client.updateTimeToLive(UpdateTimeToLiveRequest.builder()
                    .tableName(JobTable.DEFAULT_NAME)
                    .timeToLiveSpecification(TimeToLiveSpecification.builder().attributeName(JobTable.EXPIRES_AT).enabled(true).build())
                    .build());
            client.createTable(TenantTable.createTable(TenantTable.DEFAULT_NAME));
            for (Tenant tenant : tenants) {
                client.putItem(TenantTable.put(TenantTable.DEFAULT_NAME, tenant));
            }
        } catch (RuntimeException e) {
            dynamoDb.close();
            throw e;
        }
        log.info("DynamoDB Local ready on {}: tables {} and {}", dynamoDb.endpoint, JobTable.DEFAULT_NAME, TenantTable.DEFAULT_NAME);
        return dynamoDb;
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
