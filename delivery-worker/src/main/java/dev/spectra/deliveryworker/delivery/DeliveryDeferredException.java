package dev.spectra.deliveryworker.delivery;

/**
 * The delivery stopped without an outcome and left the job untouched: the job store could not be read
 * or written, or the worker is shutting down. The Kafka error handler redelivers exactly this exception
 * (delivery is idempotent), then dead-letters the message.
 */
public class DeliveryDeferredException extends RuntimeException {

    public DeliveryDeferredException(String message, Throwable cause) {
        super(message, cause);
    }
}
