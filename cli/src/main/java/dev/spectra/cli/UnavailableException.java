package dev.spectra.cli;

/** No answer from the gateway or the storage behind a link, after the retries: exit code 5. */
final class UnavailableException extends RuntimeException {

    UnavailableException(String message) {
        super(message);
    }
}
