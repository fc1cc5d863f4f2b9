package dev.spectra.local.dataapi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Every statement the emulator knows, in creation order, with the admission limit on active ones and the
 * bounds on what it keeps: like the real service it forgets a statement 24 hours after creation, and
 * because results live in memory it also forgets the oldest ended statements once more than
 * {@link #MAX_RETAINED_STATEMENTS} are kept or their results together pass the byte budget. A forgotten
 * statement answers ResourceNotFoundException, as an expired one does in AWS.
 */
final class StatementStore {

    static final Duration RETENTION = Duration.ofHours(24);
    static final int MAX_RETAINED_STATEMENTS = 10_000;
    static final long DEFAULT_MAX_RETAINED_RESULT_BYTES = 256L * 1024 * 1024;

    private final int maxActiveStatements;
    private final long maxRetainedResultBytes;
    private final AtomicLong sequences = new AtomicLong();

    private final LinkedHashMap<String, TrackedStatement> byId = new LinkedHashMap<>();
    private final Map<String, TrackedStatement> byClientToken = new HashMap<>();
    private final Set<String> active = new LinkedHashSet<>();
    private final Map<String, Long> resultBytesById = new HashMap<>();
    private long retainedResultBytes;

    StatementStore(int maxActiveStatements, long maxRetainedResultBytes) {
        if (maxActiveStatements < 1) {
            throw new IllegalArgumentException("maxActiveStatements must be positive");
        }
        if (maxRetainedResultBytes < 1) {
            throw new IllegalArgumentException("maxRetainedResultBytes must be positive");
        }
        this.maxActiveStatements = maxActiveStatements;
        this.maxRetainedResultBytes = maxRetainedResultBytes;
    }

    long nextSequence() {
        return sequences.incrementAndGet();
    }

    synchronized Optional<TrackedStatement> findByClientToken(String clientToken) {
        return Optional.ofNullable(byClientToken.get(clientToken));
    }

    /**
     * Admits a new statement, or returns the statement already submitted with the same client token.
     *
     * @throws DataApiException ActiveStatementsExceededException when the active limit is reached
     */
    synchronized TrackedStatement registerOrExisting(TrackedStatement candidate) {
        if (candidate.clientToken() != null) {
            TrackedStatement existing = byClientToken.get(candidate.clientToken());
            if (existing != null) {
                return existing;
            }
        }
        if (active.size() >= maxActiveStatements) {
            throw DataApiException.activeStatementsExceeded("Active statements exceeded the limit of "
                    + maxActiveStatements + ". Wait for running statements to finish or cancel some.");
        }
        byId.put(candidate.id(), candidate);
        active.add(candidate.id());
        if (candidate.clientToken() != null) {
            byClientToken.put(candidate.clientToken(), candidate);
        }
        return candidate;
    }

    synchronized Optional<TrackedStatement> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The runner is done with the statement: it no longer counts as active and its result is accounted. */
    synchronized void completed(TrackedStatement statement) {
        active.remove(statement.id());
        if (byId.get(statement.id()) != statement) {
            return;
        }
        StatementResult result = statement.result();
        if (result != null && result.sizeBytes() > 0) {
            resultBytesById.put(statement.id(), result.sizeBytes());
            retainedResultBytes += result.sizeBytes();
        }
        evictBeyondBounds();
    }

    synchronized List<TrackedStatement> activeStatements() {
        List<TrackedStatement> running = new ArrayList<>(active.size());
        for (String id : active) {
            running.add(byId.get(id));
        }
        return running;
    }

    /**
     * Snapshots newest first of the statements older than {@code beforeSequence} that pass the filter: at
     * most {@code limit + 1}, so that the caller knows whether another page follows.
     */
    synchronized List<StatementSnapshot> newestFirst(Predicate<StatementSnapshot> filter, long beforeSequence, int limit) {
        List<StatementSnapshot> page = new ArrayList<>();
        for (TrackedStatement statement : byId.sequencedValues().reversed()) {
            if (page.size() > limit) {
                break;
            }
            if (statement.sequence() >= beforeSequence) {
                continue;
            }
            StatementSnapshot snapshot = statement.snapshot();
            if (filter.test(snapshot)) {
                page.add(snapshot);
            }
        }
        return page;
    }

    /** Forgets ended statements created more than {@link #RETENTION} ago. */
    synchronized void evictExpired(Instant now) {
        Instant cutoff = now.minus(RETENTION);
        Iterator<TrackedStatement> oldestFirst = byId.values().iterator();
        while (oldestFirst.hasNext()) {
            TrackedStatement statement = oldestFirst.next();
            if (!statement.createdAt().isBefore(cutoff)) {
                break;
            }
            if (!active.contains(statement.id())) {
                oldestFirst.remove();
                forget(statement);
            }
        }
    }

    synchronized int size() {
        return byId.size();
    }

    private void evictBeyondBounds() {
        Iterator<TrackedStatement> oldestFirst = byId.values().iterator();
        while (oldestFirst.hasNext()
                && (byId.size() > MAX_RETAINED_STATEMENTS || retainedResultBytes > maxRetainedResultBytes)) {
            TrackedStatement statement = oldestFirst.next();
            if (!active.contains(statement.id())) {
                oldestFirst.remove();
                forget(statement);
            }
        }
    }

    private void forget(TrackedStatement statement) {
        if (statement.clientToken() != null) {
            byClientToken.remove(statement.clientToken(), statement);
        }
        Long bytes = resultBytesById.remove(statement.id());
        if (bytes != null) {
            retainedResultBytes -= bytes;
        }
    }
}
