package dev.spectra.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Ctrl-C cancels the job: registered as a shutdown hook, it runs when SIGINT (or SIGTERM) ends the JVM and, if the
 * job has not ended, sends {@code POST .../cancel} before the process exits (130 after SIGINT, the JVM's own status).
 * A run that ends by itself says {@link #finished()} first, so its own {@code System.exit} cancels nothing.
 *
 * <p>The run tells this what it is doing, from its thread; the hook reads it from the JVM's shutdown thread.
 */
final class CancelOnInterrupt {

    /** How long an interrupt waits for a submission in flight to name its job, so that the job does not run on unseen. */
    static final Duration SUBMISSION_GRACE = Duration.ofSeconds(5);

    private final GatewayClient gateway;
    private final PrintStream err;
    private final CountDownLatch submission = new CountDownLatch(1);
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private volatile boolean submitting;
    private volatile String jobId;
    private volatile Progress progress = Progress.none();
    private volatile boolean ended;
    private volatile boolean finished;

    CancelOnInterrupt(GatewayClient gateway, PrintStream err) {
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.err = requireNonNull(err, "err is null");
    }

    Thread asShutdownHook() {
        return new Thread(this::interrupt, "spectra-query-cancel-on-interrupt");
    }

    void submitting() {
        submitting = true;
    }

    /** The submission answered (with the job's id) or failed ({@code null}). */
    void submitted(String jobId) {
        this.jobId = jobId;
        submission.countDown();
    }

    void following(Progress progress) {
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** The job reached a terminal state: nothing to cancel any more. */
    void ended() {
        ended = true;
    }

    /** The run is over and the process exits with its own status. */
    void finished() {
        finished = true;
    }

    /** Whether an interrupt came: the run then stays quiet, the hook has the last word. */
    boolean interrupted() {
        return interrupted.get();
    }

    /** What the hook does; called directly by tests. */
    void interrupt() {
        if (finished || !interrupted.compareAndSet(false, true)) {
            return;
        }
        progress.stop();
        if (!submitting) {
            return;
        }
        try {
            if (!submission.await(SUBMISSION_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                err.println("interrupted while submitting: a job may have been created; see GET /v1/queries");
                return;
            }
            String id = jobId;
            if (id == null || ended) {
                return;
            }
            switch (gateway.cancel(id)) {
                case CANCELLED -> err.println("cancelled job " + id);
                case ALREADY_ENDED -> err.println("job " + id + " had already ended");
            }
        } catch (ProblemException | UnavailableException e) {
            err.println("could not cancel job " + jobId + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
