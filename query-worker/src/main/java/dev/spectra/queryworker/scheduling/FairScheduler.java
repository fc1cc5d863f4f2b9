package dev.spectra.queryworker.scheduling;

import dev.spectra.common.tenant.TenantId;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Which jobs of this worker may run a statement now. At most {@code maxRunning} at once in the worker and
 * at most the tenant's limit per tenant; the rest wait in a queue per tenant, and a freed place goes to the
 * tenants in turn (round robin), so a tenant with 500 jobs waiting never goes before a tenant with one, and
 * its burst costs the others nothing but their share.
 *
 * <p>A tenant's limit is the one its job carries (the registry's {@code max_concurrent_queries}, copied at
 * submission), or {@code defaultTenantLimit} for a job without one. Should a tenant's waiting jobs disagree
 * (the registry changed between their submissions), the limit of the job at the head of its queue decides.
 * The limits are per worker: a tenant's request records share one Kafka partition, so normally one worker
 * holds all of its jobs, but after a rebalance or a takeover two workers may each run up to the limit.
 *
 * <p>A job takes a {@link Ticket}, waits on it as long as it likes (in slices, so that it can renew its
 * lease between them without losing its place) and closes it when its statement ended. There is no wait
 * limit here: a job gives up at its own deadline. Waiting blocks the calling thread: callers are virtual
 * threads. No I/O happens under the lock.
 */
public final class FairScheduler {

    private final int maxRunning;
    private final int defaultTenantLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<TenantId, TenantLane> lanes = new HashMap<>(); // guarded by lock
    /** Tenants with waiting tickets, in the order they get their next turn. Guarded by lock. */
    private final Deque<TenantLane> turns = new ArrayDeque<>();
    private int running; // guarded by lock
    private int waiting; // guarded by lock

    /**
     * @param maxRunning         jobs of all tenants that may run at once in this worker
     * @param defaultTenantLimit a tenant's limit when its job carries none
     */
    public FairScheduler(int maxRunning, int defaultTenantLimit, MeterRegistry meters) {
        if (maxRunning < 1) {
            throw new IllegalArgumentException("maxRunning must be positive: " + maxRunning);
        }
        if (defaultTenantLimit < 1) {
            throw new IllegalArgumentException("defaultTenantLimit must be positive: " + defaultTenantLimit);
        }
        this.maxRunning = maxRunning;
        this.defaultTenantLimit = defaultTenantLimit;
        Gauge.builder("spectra.scheduler.running", this, FairScheduler::running)
                .description("Jobs of this worker admitted to run a statement now")
                .register(meters);
        Gauge.builder("spectra.scheduler.waiting", this, FairScheduler::waiting)
                .description("Jobs of this worker waiting for their tenant's turn")
                .register(meters);
    }

    /**
     * A place in the tenant's queue, granted at once when the tenant and the worker have room.
     *
     * @param tenantLimit the tenant's statements that may run at once, as the job says; null for the default
     */
    public Ticket enqueue(TenantId tenant, Integer tenantLimit) {
        requireNonNull(tenant, "tenant is null");
        if (tenantLimit != null && tenantLimit < 1) {
            throw new IllegalArgumentException("tenantLimit must be positive: " + tenantLimit);
        }
        int limit = tenantLimit == null ? defaultTenantLimit : tenantLimit;
        lock.lock();
        try {
            TenantLane lane = lanes.computeIfAbsent(tenant, TenantLane::new);
            Ticket ticket = new Ticket(lane, limit, lock.newCondition());
            lane.waiting.addLast(ticket);
            waiting++;
            if (lane.waiting.size() == 1) {
                turns.addLast(lane);
            }
            dispatch();
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    public int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    public int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Grants tickets while there is room, one tenant's turn at a time. Caller holds the lock. */
    private void dispatch() {
        int tenantsLooked = 0;
        while (running < maxRunning && !turns.isEmpty() && tenantsLooked < turns.size()) {
            TenantLane lane = turns.pollFirst();
            if (lane.running < lane.waiting.getFirst().tenantLimit) {
                Ticket ticket = lane.waiting.pollFirst();
                waiting--;
                lane.running++;
                running++;
                ticket.granted = true;
                ticket.condition.signalAll();
                tenantsLooked = 0;
            } else {
                tenantsLooked++;
            }
            if (!lane.waiting.isEmpty()) {
                turns.addLast(lane);
            }
        }
    }

    private final class TenantLane {
        final TenantId tenant;
        final Deque<Ticket> waiting = new ArrayDeque<>();
        int running;

        TenantLane(TenantId tenant) {
            this.tenant = tenant;
        }
    }

    /** One job's place: waiting, then granted, then closed. Closing it in any state gives its place up. */
    public final class Ticket implements AutoCloseable {
        private final TenantLane lane;
        private final int tenantLimit;
        private final Condition condition;
        private boolean granted; // guarded by lock
        private boolean closed; // guarded by lock

        private Ticket(TenantLane lane, int tenantLimit, Condition condition) {
            this.lane = lane;
            this.tenantLimit = tenantLimit;
            this.condition = condition;
        }

        /** Waits up to {@code slice} for the job's turn; true once it may run (it keeps its place otherwise). */
        public boolean awaitTurn(Duration slice) throws InterruptedException {
            long nanos = slice.toNanos();
            lock.lock();
            try {
                while (!granted && !closed && nanos > 0) {
                    nanos = condition.awaitNanos(nanos);
                }
                return granted && !closed;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                if (granted) {
                    lane.running--;
                    running--;
                } else if (lane.waiting.remove(this)) {
                    waiting--;
                    if (lane.waiting.isEmpty()) {
                        turns.remove(lane);
                    }
                }
                if (lane.running == 0 && lane.waiting.isEmpty()) {
                    lanes.remove(lane.tenant, lane);
                }
                dispatch();
            } finally {
                lock.unlock();
            }
        }
    }
}
