package dev.spectra.common.aws;

/** How one AWS call ended, as the {@code outcome} tag of {@code spectra.aws.calls} says it. */
public enum CallOutcome {
    SUCCESS("success"),
    /** The service refused the rate: throttling, too many active statements or sessions, capacity exceeded. */
    THROTTLED("throttled"),
    /** Another 4xx answer (a failed condition, access denied, a bad request), or a request the SDK refused to send. */
    CLIENT_ERROR("client_error"),
    /** A 5xx answer. */
    SERVER_ERROR("server_error"),
    /** No answer in time: the call's or an attempt's timeout, or the connection's. */
    TIMEOUT("timeout"),
    /** The connection failed: refused, reset, unknown host, a response corrupted on the wire. */
    IO_ERROR("io_error");

    private final String tag;

    CallOutcome(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
