package dev.spectra.queryworker.messaging;

/** A record that is not a JobRequested this worker can read. Retrying cannot help: it goes to the dead letters. */
public class UnreadableMessageException extends RuntimeException {

    public UnreadableMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
