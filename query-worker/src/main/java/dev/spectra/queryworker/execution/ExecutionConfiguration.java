package dev.spectra.queryworker.execution;

import dev.spectra.queryworker.config.SessionsProperties;
import dev.spectra.queryworker.config.StatementsProperties;
import dev.spectra.queryworker.config.WarehouseProperties;
import dev.spectra.queryworker.jobs.JobStore;
import dev.spectra.queryworker.session.SessionPool;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

@Configuration(proxyBeanMethods = false)
public class ExecutionConfiguration {

    @Bean
    Warehouse warehouse(RedshiftDataClient redshiftDataClient) {
        return new DataApiWarehouse(redshiftDataClient);
    }

    @Bean
    FailureClassifier failureClassifier() {
        return new FailureClassifier();
    }

    @Bean
    StatementRequests statementRequests(WarehouseProperties warehouse, SessionsProperties sessions) {
        return new StatementRequests(warehouse, sessions);
    }

    @Bean
    JobSteps jobSteps(@Qualifier("awsCalls") ExecutorService awsCalls, ScheduledExecutorService workerScheduler, FailureClassifier classifier,
            StatementsProperties statements) {
        return new JobSteps(awsCalls, workerScheduler, classifier, statements);
    }

    @Bean
    StatementTracker statementTracker(Warehouse warehouse, ScheduledExecutorService workerScheduler,
            FailureClassifier classifier, StatementsProperties statements, Clock clock, MeterRegistry meters) {
        return new StatementTracker(warehouse, workerScheduler, classifier, statements, clock, meters);
    }

    @Bean
    OutcomeRecorder outcomeRecorder(JobStore jobStore, JobMessages messages, Warehouse warehouse, JobSteps steps,
            FailureClassifier classifier, Clock clock, MeterRegistry meters) {
        return new OutcomeRecorder(jobStore, messages, warehouse, steps, classifier, clock, meters);
    }

    @Bean
    StatementLauncher statementLauncher(SessionPool sessionPool, Warehouse warehouse, StatementRequests requests,
            JobStore jobStore, StatementTracker tracker, OutcomeRecorder recorder, JobSteps steps,
            FailureClassifier classifier, StatementsProperties statements, Clock clock) {
        return new StatementLauncher(sessionPool, warehouse, requests, jobStore, tracker, recorder, steps, classifier,
                statements, clock);
    }

    @Bean
    JobPerformer jobPerformer(JobStore jobStore, StatementLauncher launcher, OutcomeRecorder recorder,
            JobMessages messages, JobSteps steps, Clock clock) {
        return new JobPerformer(jobStore, launcher, recorder, messages, steps, clock);
    }
}
