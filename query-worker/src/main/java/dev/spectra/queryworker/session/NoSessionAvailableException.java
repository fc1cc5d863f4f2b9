package dev.spectra.queryworker.session;

/** A statement could not get a session: too many were already waiting, or it waited too long. */
public class NoSessionAvailableException extends RuntimeException {

    public NoSessionAvailableException(String message) {
        super(message, null, false, false);
    }
}
