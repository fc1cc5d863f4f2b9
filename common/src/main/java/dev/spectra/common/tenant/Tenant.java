package dev.spectra.common.tenant;

import static java.util.Objects.requireNonNull;

/**
 * A tenant as the registry knows it.
 *
 * @param databaseUser the warehouse user every statement of this tenant runs as; row-level security
 *                     in the warehouse keys on it
 * @param active       an inactive tenant's requests are refused before anything is recorded
 */
public record Tenant(TenantId id, String databaseUser, boolean active) {

    public Tenant {
        requireNonNull(id, "id is null");
        requireNonNull(databaseUser, "databaseUser is null");
        if (databaseUser.isBlank()) {
            throw new IllegalArgumentException("databaseUser is blank");
        }
    }
}
