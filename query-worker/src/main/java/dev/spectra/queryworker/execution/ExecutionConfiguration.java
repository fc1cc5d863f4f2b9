package dev.spectra.queryworker.execution;

import dev.spectra.common.audit.AuditTrail;
import dev.spectra.common.aws.AwsFailureClassifier;
import dev.spectra.common.job.JobStore;
import dev.spectra.queryworker.config.DataApiProperties;
import dev.spectra.queryworker.config.LeasesProperties;
import dev.spectra.queryworker.config.SchedulingProperties;
import dev.spectra.queryworker.config.ResultsProperties;
import dev.spectra.queryworker.config.SessionsProperties;
import dev.spectra.queryworker.config.StatementsProperties;
import dev.spectra.queryworker.config.WarehouseProperties;
import dev.spectra.queryworker.scheduling.FairScheduler;
import dev.spectra.queryworker.session.SessionPool;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

@Configuration(proxyBeanMethods = false)
public class ExecutionConfiguration {

    @Bean
    Warehouse warehouse(RedshiftDataClient redshiftDataClient, DataApiProperties rates, MeterRegistry meters) {
        return new RateLimitedWarehouse(new DataApiWarehouse(redshiftDataClient), rates, meters);
    }

    @Bean
    AwsFailureClassifier failureClassifier() {
        return new AwsFailureClassifier();
    }

    @Bean
    StatementRequests statementRequests(WarehouseProperties warehouse, SessionsProperties sessions,
            ResultsProperties results) {
        return new StatementRequests(warehouse, sessions, results);
    }

    @Bean
    FairScheduler fairScheduler(SchedulingProperties scheduling, SessionsProperties sessions, MeterRegistry meters) {
        scheduling.requireSessionsFor(sessions);
        return new FairScheduler(scheduling.maxRunning(), scheduling.maxRunningPerTenant(), meters);
    }

    @Bean
    JobThreads jobThreads(SchedulingProperties scheduling, MeterRegistry meters) {
        return new JobThreads(scheduling, meters);
    }

    @Bean
    JobPerformer jobPerformer(JobStore jobStore, Warehouse warehouse, StatementRequests requests, SessionPool sessions,
            FairScheduler scheduler, JobMessages messages, AwsFailureClassifier classifier, StatementsProperties statements,
            LeasesProperties leases, Clock clock, MeterRegistry meters, AuditTrail audit) {
        return new JobPerformer(jobStore, warehouse, requests, sessions, scheduler, messages, classifier, statements,
                leases, clock, meters, audit);
    }

    @Bean
    LeaseSweeper leaseSweeper(JobStore jobStore, JobPerformer performer, JobThreads threads,
            ScheduledExecutorService workerScheduler, LeasesProperties leases, Clock clock, MeterRegistry meters) {
        return new LeaseSweeper(jobStore, performer, threads, workerScheduler, leases, clock, meters);
    }
}
