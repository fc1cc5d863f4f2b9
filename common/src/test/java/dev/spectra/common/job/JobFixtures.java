package dev.spectra.common.job;

import dev.spectra.common.tenant.TenantId;

import java.time.Duration;
import java.time.Instant;

/** Test data: {@code aQueuedJob().forTenant(ACME)}. */
public final class JobFixtures {

    public static final TenantId ACME = TenantId.of("acme");
    public static final TenantId GLOBEX = TenantId.of("globex");
    public static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private JobFixtures() {}

    public static JobBuilder aQueuedJob() {
        return new JobBuilder();
    }

    public static final class JobBuilder {
        private TenantId tenant = ACME;
        private JobId id = JobId.random();
        private String sql = "SELECT region, SUM(amount) FROM sales GROUP BY region";

        public JobBuilder forTenant(TenantId tenant) {
            this.tenant = tenant;
            return this;
        }

        public JobBuilder withId(JobId id) {
            this.id = id;
            return this;
        }

        public JobBuilder withSql(String sql) {
            this.sql = sql;
            return this;
        }

        public Job build() {
            return Job.queued(tenant, id, sql, tenant.value() + "_user", NOW, Duration.ofDays(7));
        }

        public Job in(JobStatus status) {
            Job job = build();
            return switch (status) {
                case QUEUED -> job;
                case RUNNING -> job.transitionTo(JobStatus.RUNNING, NOW);
                case DELIVERING -> job.transitionTo(JobStatus.RUNNING, NOW).transitionTo(JobStatus.DELIVERING, NOW);
                case SUCCEEDED -> in(JobStatus.DELIVERING).succeeded(0, "{}", NOW);
                case FAILED, CANCELLED, TIMED_OUT ->
                        job.endWith(status, new JobError("QUERY_FAILED", "boom", false), NOW);
            };
        }
    }
}
