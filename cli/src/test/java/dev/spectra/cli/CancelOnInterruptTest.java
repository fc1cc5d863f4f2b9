package dev.spectra.cli;

import dev.spectra.cli.FakeGateway.Request;
import dev.spectra.cli.FakeGateway.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static dev.spectra.cli.FakeGateway.job;
import static org.assertj.core.api.Assertions.assertThat;

/** The shutdown hook's work, called directly as the JVM would call it on Ctrl-C. */
class CancelOnInterruptTest {

    private final FakeGateway fake = new FakeGateway();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final CancelOnInterrupt interrupt = new CancelOnInterrupt(fake.client(new RecordedPauses()),
            new PrintStream(stderr, true, StandardCharsets.UTF_8));

    CancelOnInterruptTest() throws IOException {
        fake.on("POST", "/v1/queries/j1/cancel", Response.json(200, job("j1", "CANCELLED")));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cancelsAJobThatHasNotEndedWithTheTenantsCredentialsAndSaysSo() {
        interrupt.submitting();
        interrupt.submitted("j1");

        interrupt.interrupt();

        Request cancel = fake.requests("POST", "/v1/queries/j1/cancel").getFirst();
        assertThat(cancel.header("Authorization")).isEqualTo("Bearer " + FakeGateway.TOKEN);
        assertThat(cancel.header("X-Tenant-ID")).isEqualTo("acme");
        assertThat(stderr()).isEqualTo("cancelled job j1\n");
        assertThat(interrupt.interrupted()).isTrue();
    }

    @Test
    void aJobThatEndedMeanwhileIsReportedAsSuch() {
        fake.on("POST", "/v1/queries/j1/cancel", Response.problem(409, "JOB_ALREADY_ENDED", "The job has already ended."));
        interrupt.submitting();
        interrupt.submitted("j1");

        interrupt.interrupt();

        assertThat(stderr()).isEqualTo("job j1 had already ended\n");
    }

    @Test
    void aJobSeenToEndIsNotCancelled() {
        interrupt.submitting();
        interrupt.submitted("j1");
        interrupt.ended();

        interrupt.interrupt();

        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void aRunThatFinishedByItselfCancelsNothingWhenItsOwnExitRunsTheHook() {
        interrupt.submitting();
        interrupt.submitted("j1");
        interrupt.finished();

        interrupt.interrupt();

        assertThat(fake.requests()).isEmpty();
        assertThat(interrupt.interrupted()).isFalse();
    }

    @Test
    void anInterruptBeforeAnythingWasSubmittedSendsNothing() {
        interrupt.interrupt();

        assertThat(fake.requests()).isEmpty();
        assertThat(stderr()).isEmpty();
    }

    @Test
    void aSubmissionThatFailedLeavesNothingToCancel() {
        interrupt.submitting();
        interrupt.submitted(null);

        interrupt.interrupt();

        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void aSecondSignalDoesNotCancelTwice() {
        interrupt.submitting();
        interrupt.submitted("j1");

        interrupt.interrupt();
        interrupt.interrupt();

        assertThat(fake.requests()).hasSize(1);
    }
}
