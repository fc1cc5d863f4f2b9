package dev.spectra.queryworker.session;

/** The worker is stopping: the statement must not start here (its request record will be redelivered). */
public class SessionPoolStoppedException extends IllegalStateException {

    public SessionPoolStoppedException() {
        super("the session pool is stopped");
    }
}
