package dev.spectra.deliveryworker.delivery;

import static java.util.Objects.requireNonNull;

/** A call to a dependency failed for good (not retryable, or out of attempts); carries the classified failure. */
public class DeliveryFailedException extends RuntimeException {

    private final transient Failure failure;

    public DeliveryFailedException(Failure failure, Throwable cause) {
        super(failure.code() + ": " + failure.message(), cause);
        this.failure = requireNonNull(failure, "failure is null");
    }

    public Failure failure() {
        return failure;
    }
}
