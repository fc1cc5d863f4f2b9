package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.job.Job;

import static java.util.Objects.requireNonNull;

/** This worker's name on the leases it takes: {@code delivery/<host>-<random>}, never a query worker's. */
public record DeliveryWorkerId(String value) {

    public DeliveryWorkerId {
        requireNonNull(value, "value is null");
        if (!value.startsWith(Job.Lease.DELIVERY_WORKER_PREFIX)) {
            throw new IllegalArgumentException("a delivery worker's id starts with " + Job.Lease.DELIVERY_WORKER_PREFIX + ": " + value);
        }
    }

    public static DeliveryWorkerId of(String host) {
        return new DeliveryWorkerId(Job.Lease.DELIVERY_WORKER_PREFIX + host + "-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()));
    }
}
