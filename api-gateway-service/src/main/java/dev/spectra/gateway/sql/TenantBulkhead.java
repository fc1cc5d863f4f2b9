package dev.spectra.gateway.sql;

import dev.spectra.common.tenant.TenantId;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import static java.util.Objects.requireNonNull;

/**
 * Runs CPU work on a shared pool with a lane per tenant: at most {@code concurrencyPerTenant} of a
 * tenant's tasks run at once, the next {@code queuePerTenant} wait in that tenant's own queue, and
 * beyond that the tenant is told to slow down. A tenant that floods the pool with slow work fills its
 * own lane only; every other tenant's task still finds a free thread, as long as the pool has more
 * threads than one tenant's concurrency. No thread ever waits for a lane.
 */
final class TenantBulkhead {

    /** The tenant already has its limit of tasks running and queued. */
    static final class TenantBusyException extends RuntimeException {
        TenantBusyException() {
            super("the tenant's queue of SQL checks is full", null, false, false);
        }
    }

    private final Executor executor;
    private final int concurrencyPerTenant;
    private final int queuePerTenant;
    /** One lane per tenant that ever submitted; bounded by the tenant registry, since only active tenants get here. */
    private final Map<TenantId, Lane> lanes = new ConcurrentHashMap<>();

    TenantBulkhead(Executor executor, int concurrencyPerTenant, int queuePerTenant) {
        this.executor = requireNonNull(executor, "executor is null");
        if (concurrencyPerTenant < 1 || queuePerTenant < 0) {
            throw new IllegalArgumentException("concurrency must be positive and the queue not negative");
        }
        this.concurrencyPerTenant = concurrencyPerTenant;
        this.queuePerTenant = queuePerTenant;
    }

    /** Emits the work's result once it ran; errors with {@link TenantBusyException} when the tenant's lane is full. */
    <T> Mono<T> submit(TenantId tenant, Callable<T> work) {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(work, "work is null");
        return Mono.create(sink -> {
            Lane lane = lanes.computeIfAbsent(tenant, ignored -> new Lane());
            Task<T> task = new Task<>(work, sink);
            sink.onCancel(() -> lane.withdraw(task));
            lane.offer(task);
        });
    }

    /** Tasks of one tenant running or waiting now; for tests and metrics. */
    int pending(TenantId tenant) {
        Lane lane = lanes.get(tenant);
        return lane == null ? 0 : lane.pending();
    }

    private final class Lane {
        private final ArrayDeque<Task<?>> waiting = new ArrayDeque<>();
        private int running;

        void offer(Task<?> task) {
            boolean start;
            synchronized (this) {
                start = running < concurrencyPerTenant;
                if (start) {
                    running++;
                } else if (waiting.size() < queuePerTenant) {
                    waiting.addLast(task);
                } else {
                    task.sink.error(new TenantBusyException());
                    return;
                }
            }
            if (start) {
                dispatch(task);
            }
        }

        synchronized void withdraw(Task<?> task) {
            waiting.remove(task);
        }

        synchronized int pending() {
            return running + waiting.size();
        }

        void dispatch(Task<?> task) {
            try {
                executor.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        finished();
                    }
                });
            } catch (RuntimeException rejected) {
                task.sink.error(rejected);
                finished();
            }
        }

        private void finished() {
            Task<?> next;
            synchronized (this) {
                next = waiting.pollFirst();
                if (next == null) {
                    running--;
                }
            }
            if (next != null) {
                dispatch(next);
            }
        }
    }

    private record Task<T>(Callable<T> work, MonoSink<T> sink) {
        void run() {
            T result;
            try {
                result = work.call();
            } catch (Throwable e) {
                sink.error(e);
                return;
            }
            sink.success(result);
        }
    }
}
