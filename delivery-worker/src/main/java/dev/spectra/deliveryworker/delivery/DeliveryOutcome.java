package dev.spectra.deliveryworker.delivery;

import java.util.Locale;

/** What one StatementFinished message came to; the {@code outcome} tag of {@code spectra.delivery.duration}. */
public enum DeliveryOutcome {
    /** The job SUCCEEDED with its result delivered (on the item, inline chunks or exported files). */
    DELIVERED,
    /** The job ended FAILED (result too large, result gone, a dependency unavailable, a fault of ours). */
    FAILED,
    /** The job was not DELIVERING, or another delivery worker holds it: nothing written. */
    SKIPPED,
    /** No such job (expired, or never stored): nothing written. */
    NOT_FOUND,
    /** Another writer changed the job between our read and our write, or took it over: that writer owns it. */
    LOST_RACE,
    /** The job ended without this worker meanwhile, CANCELLED by its client: nothing delivered, nothing published. */
    ENDED_ELSEWHERE,
    /**
     * The job could not be read or written, or this worker stopped: left as it is. Its lease lapses and a query
     * worker's sweeper announces it again.
     */
    DEFERRED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
