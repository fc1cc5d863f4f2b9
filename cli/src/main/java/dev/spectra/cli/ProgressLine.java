package dev.spectra.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * One line on stderr, redrawn in place with {@code \r}: the job's state, the time since submission and, once known,
 * its rows ({@code DELIVERING 4.1s 120000 rows}). The elapsed time moves between polls, so the line is redrawn on a
 * tick; all drawing happens on the ticker's one thread, in order, and nothing else writes from there.
 */
final class ProgressLine implements Progress {

    static final Duration TICK = Duration.ofMillis(200);

    private final PrintStream err;
    private final ScheduledExecutorService ticker;
    private final LongSupplier nanoTime;
    private final long startedAt;
    private final AtomicReference<Job> latest = new AtomicReference<>();
    private volatile ScheduledFuture<?> redraws;
    /** Characters on the line now; touched only on the ticker's thread. */
    private int drawn;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private ProgressLine(PrintStream err, ScheduledExecutorService ticker, LongSupplier nanoTime, Job submitted) {
        this.err = requireNonNull(err, "err is null");
        this.ticker = requireNonNull(ticker, "ticker is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.startedAt = nanoTime.getAsLong();
        latest.set(requireNonNull(submitted, "submitted is null"));
    }

    /** Draws the line from now on, timed from now, for the job just submitted. */
    static ProgressLine start(PrintStream err, ScheduledExecutorService ticker, LongSupplier nanoTime, Job submitted) {
        ProgressLine line = new ProgressLine(err, ticker, nanoTime, submitted);
        line.redraws = ticker.scheduleWithFixedDelay(line::redraw, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        return line;
    }

    @Override
    public void update(Job job) {
        latest.set(job);
    }

    @Override
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> scheduled = redraws;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        try {
            // Queued behind any redraw in progress on the same thread, so the line is empty when this returns.
            ticker.submit(this::clear).get(1, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            // the line may stay; nothing depends on it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The line's text: {@code RUNNING    3.2s}, {@code DELIVERING 4.1s 120000 rows}. */
    static String render(JobStatus status, Duration elapsed, Long rowCount) {
        String text = String.format(Locale.ROOT, "%-10s %5.1fs", status.name(), elapsed.toMillis() / 1000.0);
        return rowCount == null ? text : text + " " + rowCount + (rowCount == 1 ? " row" : " rows");
    }

    private void redraw() {
        if (stopped.get()) {
            return;
        }
        Job job = latest.get();
        String text = render(job.status(), Duration.ofNanos(nanoTime.getAsLong() - startedAt), job.rowCount());
        // Spaces over what a longer line left behind.
        err.print("\r" + text + " ".repeat(Math.max(0, drawn - text.length())));
        err.flush();
        drawn = text.length();
    }

    private void clear() {
        if (drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }
}
