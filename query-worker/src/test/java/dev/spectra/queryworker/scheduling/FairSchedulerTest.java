package dev.spectra.queryworker.scheduling;

import dev.spectra.common.tenant.TenantId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FairSchedulerTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final TenantId INITECH = TenantId.of("initech");
    private static final Duration NO_WAIT = Duration.ZERO;

    @Test
    void aTenantAtItsLimitWaitsWhileAnotherTenantRunsAtOnce() throws InterruptedException {
        FairScheduler scheduler = new FairScheduler(10, tenant -> 2, new SimpleMeterRegistry());
        List<FairScheduler.Ticket> acme = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            acme.add(scheduler.enqueue(ACME));
        }

        FairScheduler.Ticket globex = scheduler.enqueue(GLOBEX);

        assertThat(globex.awaitTurn(NO_WAIT)).isTrue();
        assertThat(acme.get(0).awaitTurn(NO_WAIT)).isTrue();
        assertThat(acme.get(1).awaitTurn(NO_WAIT)).isTrue();
        assertThat(acme.get(2).awaitTurn(NO_WAIT)).isFalse();
        assertThat(scheduler.running()).isEqualTo(3);
        assertThat(scheduler.waiting()).isEqualTo(3);
    }

    @Test
    void freedPlacesGoToTheWaitingTenantsInTurn() throws InterruptedException {
        FairScheduler scheduler = new FairScheduler(1, tenant -> 10, new SimpleMeterRegistry());
        FairScheduler.Ticket running = scheduler.enqueue(ACME);
        List<FairScheduler.Ticket> acme = List.of(scheduler.enqueue(ACME), scheduler.enqueue(ACME), scheduler.enqueue(ACME));
        FairScheduler.Ticket globex = scheduler.enqueue(GLOBEX);
        FairScheduler.Ticket initech = scheduler.enqueue(INITECH);

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
        FairScheduler scheduler = new FairScheduler(1, tenant -> 1, new SimpleMeterRegistry());
        FairScheduler.Ticket first = scheduler.enqueue(ACME);
        FairScheduler.Ticket gaveUp = scheduler.enqueue(ACME);
        FairScheduler.Ticket next = scheduler.enqueue(ACME);

        gaveUp.close();
        first.close();

        assertThat(next.awaitTurn(NO_WAIT)).isTrue();
        assertThat(gaveUp.awaitTurn(NO_WAIT)).isFalse();
        assertThat(scheduler.running()).isEqualTo(1);
        assertThat(scheduler.waiting()).isZero();
    }

    @Test
    void aTicketClosedTwiceFreesItsPlaceOnce() throws InterruptedException {
        FairScheduler scheduler = new FairScheduler(2, tenant -> 2, new SimpleMeterRegistry());
        FairScheduler.Ticket ticket = scheduler.enqueue(ACME);
        assertThat(ticket.awaitTurn(NO_WAIT)).isTrue();

        ticket.close();
        ticket.close();

        assertThat(scheduler.running()).isZero();
    }

    @Test
    void aWaiterIsWokenWhenAnotherThreadFreesItsPlace() throws Exception {
        FairScheduler scheduler = new FairScheduler(1, tenant -> 1, new SimpleMeterRegistry());
        FairScheduler.Ticket first = scheduler.enqueue(ACME);
        FairScheduler.Ticket second = scheduler.enqueue(GLOBEX);
        Thread closer = Thread.ofVirtual().start(first::close);

        assertThat(second.awaitTurn(Duration.ofSeconds(5))).isTrue();
        closer.join();
    }

    private static boolean awaitNow(FairScheduler.Ticket ticket) {
        try {
            return ticket.awaitTurn(NO_WAIT);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
