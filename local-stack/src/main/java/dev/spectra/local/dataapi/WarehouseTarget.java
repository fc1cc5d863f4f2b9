package dev.spectra.local.dataapi;

import static java.util.Objects.requireNonNull;

/**
 * Where a statement runs and as whom: exactly one of a cluster identifier or a workgroup name (both only
 * echoed back), the PostgreSQL database, and the database user the connection logs in as.
 */
record WarehouseTarget(String clusterIdentifier, String workgroupName, String database, String dbUser) {

    WarehouseTarget {
        requireNonNull(database, "database is null");
        requireNonNull(dbUser, "dbUser is null");
        if ((clusterIdentifier == null) == (workgroupName == null)) {
            throw new IllegalArgumentException("exactly one of clusterIdentifier and workgroupName is required");
        }
    }
}
