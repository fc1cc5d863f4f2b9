package dev.spectra.deliveryworker.delivery;

import java.util.Locale;

/** What one StatementFinished message came to; the {@code outcome} tag of {@code spectra.delivery.duration}. */
public enum DeliveryOutcome {
    /** The job SUCCEEDED with its result stored inline. */
    DELIVERED,
    /** The job ended FAILED (result too large, result gone, a dependency unavailable, a fault of ours). */
    FAILED,
    /** The job was not DELIVERING (a redelivered message, or the job already ended): nothing written. */
    SKIPPED,
    /** No such job (expired, or never stored): nothing written. */
    NOT_FOUND,
    /** Another writer changed the job between our read and our write: that writer owns it. */
    LOST_RACE,
    /** The job could not be read or written: untouched, the message is redelivered. */
    DEFERRED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
