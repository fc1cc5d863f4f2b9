package dev.spectra.bench;

import dev.spectra.local.LocalAws;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * The baseline: the same statement straight through the Redshift Data API (the local emulator), the way the query
 * worker opens a session-less statement: ExecuteStatement with ClusterIdentifier, Database and the tenant's DbUser,
 * DescribeStatement until FINISHED, GetStatementResult (every page).
 */
final class DirectDataApi implements AutoCloseable {

    /** One statement: the client's wall time and the Data API's own CreatedAt / UpdatedAt. */
    record Run(double clientMillis, Instant createdAt, Instant finishedAt) {
        double serverMillis() {
            return Duration.between(createdAt, finishedAt).toNanos() / 1e6;
        }
    }

    private final RedshiftDataClient client;
    private final String cluster;
    private final String database;

    DirectDataApi(URI endpoint, String cluster, String database) {
        this.client = RedshiftDataClient.builder()
                .endpointOverride(endpoint)
                .region(LocalAws.REGION)
                .credentialsProvider(LocalAws.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        this.cluster = cluster;
        this.database = database;
    }

    /** Polls DescribeStatement immediately, then every {@code interval}. */
    Run run(String databaseUser, String sql, Duration interval, Duration deadline) {
        long start = System.nanoTime();
        String id = client.executeStatement(request -> request
                .clusterIdentifier(cluster).database(database).dbUser(databaseUser).sql(sql)).id();
        long giveUp = start + deadline.toNanos();
        DescribeStatementResponse described;
        while (true) {
            described = client.describeStatement(request -> request.id(id));
            StatusString status = described.status();
            if (status == StatusString.FINISHED) {
                break;
            }
            if (status == StatusString.FAILED || status == StatusString.ABORTED) {
                throw new IllegalStateException("direct statement " + id + " ended " + status + ": " + described.error());
            }
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("direct statement " + id + " still " + status + " after " + deadline);
            }
            TenantApp.sleep(interval);
        }
        if (Boolean.TRUE.equals(described.hasResultSet())) {
            String next = null;
            do {
                String token = next;
                GetStatementResultResponse page = client.getStatementResult(request -> request.id(id).nextToken(token));
                next = page.nextToken();
            } while (next != null && !next.isEmpty());
        }
        return new Run(Latencies.millisSince(start), described.createdAt(), described.updatedAt());
    }

    @Override
    public void close() {
        client.close();
    }
}
