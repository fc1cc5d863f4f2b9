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
 * bounds on what it keeps: like the real service it forgets a statement 24 hours after creation, and it
 * also forgets the oldest ended statements once more than {@link #MAX_RETAINED_STATEMENTS} are kept or
 * their result files together pass the byte budget. A forgotten statement answers
 * ResourceNotFoundException, as an expired one does in AWS; its result file is deleted outside the lock.
 * A client token is remembered as long as its statement is: the service documents no shorter window.
 */
final class StatementStore {

    static final Duration RETENTION = Duration.ofHours(24);
    static final int MAX_RETAINED_STATEMENTS = 10_000;
    static final long DEFAULT_MAX_RETAINED_RESULT_BYTES = 256L * 1024 * 1024;

    private final int maxActiveStatements;
    private final long maxRetainedResultBytes;
    private final AtomicLong sequences = new AtomicLong();

    private final LinkedHashMap<String, TrackedStatement> byId = new LinkedHashMap<>();
    private final Map<ClientToken, TokenUse> byClientToken = new HashMap<>();
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

    /** The request that first used a client token, and the statement it started. */
    private record TokenUse(ExecuteStatementRequest request, TrackedStatement statement) {}

    /**
     * The statement an earlier request with this token started, whatever its state now.
     *
     * @throws DataApiException ValidationException when that request had other parameters
     */
    synchronized Optional<TrackedStatement> findByClientToken(ClientToken clientToken, ExecuteStatementRequest request) {
        TokenUse use = byClientToken.get(clientToken);
        if (use == null) {
            return Optional.empty();
        }
        if (!use.request().equals(request)) {
            throw DataApiException.validation("ClientToken " + clientToken.token() + " was already used with "
                    + "different parameters; a retry must repeat the request exactly, or use a new token.");
        }
        return Optional.of(use.statement());
    }

    /**
     * Admits a new statement, or returns the statement already submitted with the same client token.
     *
     * @param request the request that submits it, kept with its client token to compare retries against
     * @throws DataApiException ActiveStatementsExceededException when the active limit is reached, and
     *                          ValidationException when the token was used with other parameters
     */
    synchronized TrackedStatement registerOrExisting(TrackedStatement candidate, ExecuteStatementRequest request) {
        if (candidate.clientToken() != null) {
            Optional<TrackedStatement> existing = findByClientToken(candidate.clientToken(), request);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        if (active.size() >= maxActiveStatements) {
            throw DataApiException.activeStatementsExceeded("Active statements exceeded the limit of "
                    + maxActiveStatements + ". Wait for running statements to finish or cancel some.");
        }
        byId.put(candidate.id(), candidate);
        active.add(candidate.id());
        if (candidate.clientToken() != null) {
            byClientToken.put(candidate.clientToken(), new TokenUse(request, candidate));
        }
        return candidate;
    }

    synchronized Optional<TrackedStatement> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The runner is done with the statement: it no longer counts as active and its result is accounted. */
    void completed(TrackedStatement statement) {
        discard(recordCompletion(statement));
    }

    private synchronized List<StatementResult> recordCompletion(TrackedStatement statement) {
        active.remove(statement.id());
        StatementResult result = statement.result();
        if (byId.get(statement.id()) != statement) {
            return result == null ? List.of() : List.of(result);
        }
        if (result != null) {
            resultBytesById.put(statement.id(), result.retainedBytes());
            retainedResultBytes += result.retainedBytes();
        }
        return evictBeyondBounds();
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
    void evictExpired(Instant now) {
        discard(expire(now));
    }

    /** Forgets every statement and deletes every result file: the emulator is stopping. */
    void clear() {
        List<StatementResult> results;
        synchronized (this) {
            results = new ArrayList<>();
            for (TrackedStatement statement : byId.values()) {
                if (statement.result() != null) {
                    results.add(statement.result());
                }
            }
            byId.clear();
            byClientToken.clear();
            resultBytesById.clear();
            retainedResultBytes = 0;
        }
        discard(results);
    }

    private synchronized List<StatementResult> expire(Instant now) {
        List<StatementResult> forgotten = new ArrayList<>();
        Instant cutoff = now.minus(RETENTION);
        Iterator<TrackedStatement> oldestFirst = byId.values().iterator();
        while (oldestFirst.hasNext()) {
            TrackedStatement statement = oldestFirst.next();
            if (!statement.createdAt().isBefore(cutoff)) {
                break;
            }
            if (!active.contains(statement.id())) {
                oldestFirst.remove();
                forget(statement, forgotten);
            }
        }
        return forgotten;
    }

    synchronized int size() {
        return byId.size();
    }

    private List<StatementResult> evictBeyondBounds() {
        List<StatementResult> forgotten = new ArrayList<>();
        Iterator<TrackedStatement> oldestFirst = byId.values().iterator();
        while (oldestFirst.hasNext()
                && (byId.size() > MAX_RETAINED_STATEMENTS || retainedResultBytes > maxRetainedResultBytes)) {
            TrackedStatement statement = oldestFirst.next();
            if (!active.contains(statement.id())) {
                oldestFirst.remove();
                forget(statement, forgotten);
            }
        }
        return forgotten;
    }

    private void forget(TrackedStatement statement, List<StatementResult> forgotten) {
        if (statement.result() != null) {
            forgotten.add(statement.result());
        }
        if (statement.clientToken() != null) {
            TokenUse use = byClientToken.get(statement.clientToken());
            if (use != null && use.statement() == statement) {
                byClientToken.remove(statement.clientToken());
            }
        }
        Long bytes = resultBytesById.remove(statement.id());
        if (bytes != null) {
            retainedResultBytes -= bytes;
        }
    }

    private static void discard(List<StatementResult> results) {
        results.forEach(StatementResult::discard);
    }
}
