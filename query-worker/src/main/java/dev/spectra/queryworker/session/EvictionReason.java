package dev.spectra.queryworker.session;

import java.util.Locale;

/** Why a session was dropped from the pool; the {@code reason} tag of {@code spectra.sessions.evicted}. */
public enum EvictionReason {
    /** Its keep-alive ran out (or was about to) while it sat idle. */
    EXPIRED,
    /** The warehouse refused it: busy, expired or closed. */
    REFUSED,
    /** Its statement was cancelled, aborted or lost, so the session's state is unknown. */
    ABANDONED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
