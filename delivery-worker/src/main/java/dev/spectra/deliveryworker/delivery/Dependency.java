package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.error.ErrorCode;

/** A system the delivery calls, and the code a job ends with when that system stays unavailable. */
public enum Dependency {
    WAREHOUSE("the warehouse (Redshift Data API)", ErrorCode.WAREHOUSE_UNAVAILABLE),
    STORAGE("the job store (DynamoDB)", ErrorCode.STORAGE_UNAVAILABLE);

    private final String description;
    private final ErrorCode unavailable;

    Dependency(String description, ErrorCode unavailable) {
        this.description = description;
        this.unavailable = unavailable;
    }

    public String description() {
        return description;
    }

    public ErrorCode unavailable() {
        return unavailable;
    }
}
