package dev.spectra.common.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The audit trail of every service: each record is written at once as one line of the {@value #LOGGER} logger (its
 * JSON is the message), then handed to a sender thread that publishes it to Kafka, keyed by tenant. A record that
 * cannot be sent (the broker is away, the sender's queue is full) is counted and dropped: the log line stays, and
 * the caller is never held up. Outcomes go to {@code outcomes}: {@code sent}, {@code failed}, {@code dropped}.
 *
 * <p>A record without a trace id takes the one in the logging context ({@value #TRACE_ID_KEY}, put there by the
 * tracer), so that a record leads to its log lines.
 */
public final class AuditPublisher implements AuditTrail, AutoCloseable {

    public static final String LOGGER = "spectra.audit";
    /** Where Micrometer Tracing puts the current trace id in the logging context. */
    static final String TRACE_ID_KEY = "traceId";
    /** Records waiting for the sender at most; beyond, new ones are dropped (and counted). */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

    private static final Logger audit = LoggerFactory.getLogger(LOGGER);
    private static final Logger log = LoggerFactory.getLogger(AuditPublisher.class);

    /** Sends one record's JSON with its key; the stage completes once the broker has it. */
    @FunctionalInterface
    public interface Sender {
        CompletionStage<?> send(String key, String json);
    }

    private final Function<AuditRecord, String> json;
    private final Sender sender;
    private final ExecutorService sending;
    private final Consumer<String> outcomes;

    /**
     * @param json     writes a record as JSON (the service's mapper)
     * @param sending  runs sends, so that a send that blocks (no metadata yet) holds no caller; owned and shut down here
     * @param outcomes told {@code sent}, {@code failed} or {@code dropped} for every record
     */
    public AuditPublisher(Function<AuditRecord, String> json, Sender sender, ExecutorService sending, Consumer<String> outcomes) {
        this.json = requireNonNull(json, "json is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.sending = requireNonNull(sending, "sending is null");
        this.outcomes = requireNonNull(outcomes, "outcomes is null");
    }

    /** One daemon thread with a queue of {@code capacity} records, refusing more: the executor to give the publisher. */
    public static ExecutorService boundedSender(int capacity) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(capacity), work -> {
            Thread thread = new Thread(work, "audit-sender");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public void record(AuditRecord record) {
        AuditRecord complete = record.traceId() == null && MDC.get(TRACE_ID_KEY) != null ? record.withTraceId(MDC.get(TRACE_ID_KEY)) : record;
        String line;
        try {
            line = json.apply(complete);
        } catch (RuntimeException e) {
            log.error("could not write audit record {} as JSON", complete.recordId(), e);
            outcomes.accept("failed");
            return;
        }
        audit.info(line);
        try {
            sending.execute(() -> send(complete, line));
        } catch (RejectedExecutionException full) {
            // Debug only: a flood of refused requests while the broker is away would otherwise flood the log too; the
            // outcome is counted, and the record's own line is above.
            log.debug("audit record {} not published: the sender is stopped or its queue is full", complete.recordId());
            outcomes.accept("dropped");
        }
    }

    private void send(AuditRecord record, String line) {
        try {
            sender.send(record.key(), line).whenComplete((sent, failure) -> {
                if (failure == null) {
                    outcomes.accept("sent");
                } else {
                    failed(record, failure);
                }
            });
        } catch (RuntimeException e) {
            failed(record, e);
        }
    }

    private void failed(AuditRecord record, Throwable failure) {
        log.warn("audit record {} not published: {}", record.recordId(), failure.toString());
        outcomes.accept("failed");
    }

    /** Gives queued records a moment to go out, then stops the sender. */
    @Override
    public void close() {
        sending.shutdown();
        try {
            if (!sending.awaitTermination(2, TimeUnit.SECONDS)) {
                sending.shutdownNow();
            }
        } catch (InterruptedException e) {
            sending.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
