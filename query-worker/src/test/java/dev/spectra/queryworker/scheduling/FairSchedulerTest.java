package dev.spectra.queryworker.scheduling;

import dev.spectra.common.tenant.TenantId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class FairSchedulerTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final TenantId INITECH = TenantId.of("initech");
    private static final Duration NO_WAIT = Duration.ZERO;

    @Test
    void aTenantAtItsLimitWaitsWhileAnotherTenantRunsAtOnce() throws InterruptedException {
        FairScheduler scheduler = new FairScheduler(10, 2, new SimpleMeterRegistry());
        List<FairScheduler.Ticket> acme = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            acme.add(scheduler.enqueue(ACME, null));
        }

        FairScheduler.Ticket globex = scheduler.enqueue(GLOBEX, null);

        assertThat(globex.awaitTurn(NO_WAIT)).isTrue();
        assertThat(acme.get(0).awaitTurn(NO_WAIT)).isTrue();
        assertThat(acme.get(1).awaitTurn(NO_WAIT)).isTrue();
        assertThat(acme.get(2).awaitTurn(NO_WAIT)).isFalse();
        assertThat(scheduler.running()).isEqualTo(3);
        assertThat(scheduler.waiting()).isEqualTo(3);
    }

    @Test
    void freedPlacesGoToTheWaitingTenantsInTurn() throws InterruptedException {
        FairScheduler scheduler = new FairScheduler(1, 10, new SimpleMeterRegistry());
        FairScheduler.Ticket running = scheduler.enqueue(ACME, null);
        List<FairScheduler.Ticket> acme = List.of(scheduler.enqueue(ACME, null), scheduler.enqueue(ACME, null), scheduler.enqueue(ACME, null));
        FairScheduler.Ticket globex = scheduler.enqueue(GLOBEX, null);
        FairScheduler.Ticket initech = scheduler.enqueue(INITECH, null);

        List<String> order = new ArrayList<>();
        FairScheduler.Ticket current = running;
        List<FairScheduler.Ticket> all = new ArrayList<>(acme);
        all.add(globex);
        all.add(initech);
        for (int grant = 0; grant < 5; grant++) {
            current.close();
            current = all.stream().filter(ticket -> awaitNow(ticket)).findFirst().orElseThrow();
            all.remove(current);
            order.add(current == globex ? "globex" : current == initech ? "initech" : "acme");
        }

        assertThat(order.subList(0, 3)).containsExactlyInAnyOrder("acme", "globex", "initech");
        assertThat(order).containsExactly(order.get(0), order.get(1), order.get(2), "acme", "acme");
    }

    @Test
    void aWaiterThatGivesUpLeavesTheQueueAndNeverRuns() throws InterruptedException {
        FairScheduler scheduler = new FairScheduler(1, 1, new SimpleMeterRegistry());
        FairScheduler.Ticket first = scheduler.enqueue(ACME, null);
        FairScheduler.Ticket gaveUp = scheduler.enqueue(ACME, null);
        FairScheduler.Ticket next = scheduler.enqueue(ACME, null);

        gaveUp.close();
        first.close();

        assertThat(next.awaitTurn(NO_WAIT)).isTrue();
        assertThat(gaveUp.awaitTurn(NO_WAIT)).isFalse();
        assertThat(scheduler.running()).isEqualTo(1);
        assertThat(scheduler.waiting()).isZero();
    }

    @Test
    void aTicketClosedTwiceFreesItsPlaceOnce() throws InterruptedException {
        FairScheduler scheduler = new FairScheduler(2, 2, new SimpleMeterRegistry());
        FairScheduler.Ticket ticket = scheduler.enqueue(ACME, null);
        assertThat(ticket.awaitTurn(NO_WAIT)).isTrue();

        ticket.close();
        ticket.close();

        assertThat(scheduler.running()).isZero();
    }

    @Test
    void aWaiterIsWokenWhenAnotherThreadFreesItsPlace() throws Exception {
        FairScheduler scheduler = new FairScheduler(1, 1, new SimpleMeterRegistry());
        FairScheduler.Ticket first = scheduler.enqueue(ACME, null);
        FairScheduler.Ticket second = scheduler.enqueue(GLOBEX, null);
        Thread closer = Thread.ofVirtual().start(first::close);

        assertThat(second.awaitTurn(Duration.ofSeconds(5))).isTrue();
        closer.join();
    }

    @Test
    void aTenantLimitedToOneRunsOneAtATimeWhileATenantLimitedToThreeRunsThree() throws InterruptedException {
        FairScheduler scheduler = new FairScheduler(10, 4, new SimpleMeterRegistry());
        List<FairScheduler.Ticket> acme = new ArrayList<>();
        List<FairScheduler.Ticket> globex = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            acme.add(scheduler.enqueue(ACME, 1));
            globex.add(scheduler.enqueue(GLOBEX, 3));
        }

        assertThat(acme).filteredOn(FairSchedulerTest::awaitNow).containsExactly(acme.get(0));
        assertThat(globex).filteredOn(FairSchedulerTest::awaitNow).containsExactly(globex.get(0), globex.get(1), globex.get(2));

        acme.get(0).close();
        globex.get(0).close();

        assertThat(acme).filteredOn(FairSchedulerTest::awaitNow).containsExactly(acme.get(1));
        assertThat(globex).filteredOn(FairSchedulerTest::awaitNow).containsExactly(globex.get(1), globex.get(2), globex.get(3));
        assertThat(scheduler.running()).isEqualTo(4);
    }

    @Test
    void aJobWithoutALimitRunsUnderTheWorkersDefault() throws InterruptedException {
        FairScheduler scheduler = new FairScheduler(10, 2, new SimpleMeterRegistry());
        List<FairScheduler.Ticket> acme = List.of(scheduler.enqueue(ACME, null), scheduler.enqueue(ACME, null), scheduler.enqueue(ACME, null));

        assertThat(acme).filteredOn(FairSchedulerTest::awaitNow).containsExactly(acme.get(0), acme.get(1));
    }

    @Test
    void theLimitOfTheJobAtTheHeadOfTheTenantsQueueDecides() throws InterruptedException {
        FairScheduler scheduler = new FairScheduler(10, 4, new SimpleMeterRegistry());
        FairScheduler.Ticket first = scheduler.enqueue(ACME, 1);
        // Submitted after the registry raised the tenant's limit.
        FairScheduler.Ticket raised = scheduler.enqueue(ACME, 2);

        assertThat(raised.awaitTurn(NO_WAIT)).isTrue();
        assertThat(first.awaitTurn(NO_WAIT)).isTrue();

        FairScheduler.Ticket lowered = scheduler.enqueue(ACME, 1);
        first.close();

        assertThat(lowered.awaitTurn(NO_WAIT)).isFalse();
        raised.close();
        assertThat(lowered.awaitTurn(NO_WAIT)).isTrue();
    }

    @Test
    void aFloodingTenantDoesNotStarveAQuietOneItsNextJobWaitsOneTurnNotTheWholeBacklog() throws InterruptedException {
        FairScheduler scheduler = new FairScheduler(4, 50, new SimpleMeterRegistry());
        List<FairScheduler.Ticket> flood = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            flood.add(scheduler.enqueue(ACME, 50));
        }
        FairScheduler.Ticket quiet = scheduler.enqueue(GLOBEX, 1);
        assertThat(quiet.awaitTurn(NO_WAIT)).isFalse();

        // The flood's waiting jobs were in line first: the first freed place is the flood's turn, the next the quiet tenant's.
        flood.get(0).close();
        assertThat(flood.get(4).awaitTurn(NO_WAIT)).isTrue();
        assertThat(quiet.awaitTurn(NO_WAIT)).isFalse();
        flood.get(1).close();

        assertThat(quiet.awaitTurn(NO_WAIT)).isTrue();
        assertThat(flood.subList(5, flood.size())).noneMatch(FairSchedulerTest::awaitNow);
        assertThat(scheduler.waiting()).isEqualTo(195);
    }

    @Test
    void waitersOnVirtualThreadsNeverRunMoreThanTheirTenantsLimit() throws Exception {
        FairScheduler scheduler = new FairScheduler(3, 4, new SimpleMeterRegistry());
        Map<TenantId, AtomicInteger> runningNow = Map.of(
                ACME, new AtomicInteger(), GLOBEX, new AtomicInteger());
        Map<TenantId, Integer> limits = Map.of(ACME, 1, GLOBEX, 2);
        Map<TenantId, AtomicInteger> mostAtOnce = Map.of(
                ACME, new AtomicInteger(), GLOBEX, new AtomicInteger());
        List<Thread> jobs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            TenantId tenant = i % 2 == 0 ? ACME : GLOBEX;
            jobs.add(Thread.ofVirtual().start(() -> {
                try (FairScheduler.Ticket ticket = scheduler.enqueue(tenant, limits.get(tenant))) {
                    while (!ticket.awaitTurn(Duration.ofSeconds(1))) {
                        // keeps its place, as a job renewing its lease does
                    }
                    int now = runningNow.get(tenant).incrementAndGet();
                    mostAtOnce.get(tenant).accumulateAndGet(now, Math::max);
                    Thread.yield();
                    runningNow.get(tenant).decrementAndGet();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread job : jobs) {
            job.join();
        }

        assertThat(mostAtOnce.get(ACME).get()).isEqualTo(1);
        assertThat(mostAtOnce.get(GLOBEX).get()).isBetween(1, 2);
        assertThat(scheduler.running()).isZero();
        assertThat(scheduler.waiting()).isZero();
    }

    private static boolean awaitNow(FairScheduler.Ticket ticket) {
        try {
            return ticket.awaitTurn(NO_WAIT);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
