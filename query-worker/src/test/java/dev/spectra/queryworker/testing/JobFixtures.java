package dev.spectra.queryworker.testing;

import dev.spectra.common.statement.JobOptions;
import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobId;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.job.JobTable;
import dev.spectra.common.tenant.TenantId;

import java.time.Duration;
import java.time.Instant;

/** Jobs as the gateway and other workers leave them in the job table. */
public final class JobFixtures {

    public static final TenantId ACME = TenantId.of("acme");
    public static final TenantId GLOBEX = TenantId.of("globex");
    public static final Instant SUBMITTED_AT = Instant.parse("2025-01-01T00:00:00Z");

    private JobFixtures() {}

    public static JobBuilder aQueuedJob() {
        return new JobBuilder();
    }

    public static final class JobBuilder {
        private TenantId tenantId = ACME;
        private String databaseUser = "acme_reader";
        private String sql = "SELECT region, count(*) FROM orders GROUP BY region";
        private JobStatus status = JobStatus.QUEUED;
        private String statementId;
        private Long rowCount;
        private Instant submittedAt = SUBMITTED_AT;
        private String leaseOwner;
        private Integer maxConcurrentQueries;
        private Instant leaseUntil;
        private DeliveryOptions delivery = DeliveryOptions.DEFAULT;
        private JobOptions options = JobOptions.NONE;

        public JobBuilder forTenant(TenantId tenant) {
            this.tenantId = tenant;
            this.databaseUser = tenant.value() + "_reader";
            return this;
        }

        /** The tenant's {@code max_concurrent_queries}, as the gateway copies it from the registry. */
        public JobBuilder withMaxConcurrentQueries(int limit) {
            this.maxConcurrentQueries = limit;
            return this;
        }

        public JobBuilder sql(String text) {
            this.sql = text;
            return this;
        }

        /** What the client asked of its result; by default inline JSON. */
        public JobBuilder delivered(DeliveryOptions options) {
            this.delivery = options;
            return this;
        }

        /** The client's name, tags, timeout and parameters; by default none. */
        public JobBuilder with(JobOptions jobOptions) {
            this.options = jobOptions;
            return this;
        }

        public JobBuilder runningAs(String user) {
            this.databaseUser = user;
            return this;
        }

        /** Claimed by a worker that stopped before it started a statement. */
        public JobBuilder claimed() {
            this.status = JobStatus.RUNNING;
            return this;
        }

        /** Claimed, with its statement recorded. */
        public JobBuilder runningStatement(String id) {
            this.status = JobStatus.RUNNING;
            this.statementId = id;
            return this;
        }

        public JobBuilder delivering(String id, long rows) {
            this.status = JobStatus.DELIVERING;
            this.statementId = id;
            this.rowCount = rows;
            return this;
        }

        /** For tests on the real clock: a job's own deadline counts from its submission. */
        public JobBuilder submittedAt(Instant when) {
            this.submittedAt = when;
            return this;
        }

        /** Held by another worker until {@code until}. */
        public JobBuilder leasedTo(String owner, Instant until) {
            this.leaseOwner = owner;
            this.leaseUntil = until;
            return this;
        }

        public JobBuilder ended(JobStatus terminal) {
            this.status = terminal;
            return this;
        }

        public Job build() {
            Job job = leased(buildUnleased());
            return job;
        }

        private Job leased(Job job) {
            return leaseOwner == null || job.status().isTerminal() ? job : write(job, job.leasedTo(leaseOwner, leaseUntil));
        }

        private Job buildUnleased() {
            Job job = Job.queued(tenantId, JobId.random(), sql, databaseUser, maxConcurrentQueries, delivery, options, null, submittedAt,
                    Duration.ofDays(7));
            if (status == JobStatus.QUEUED) {
                return job;
            }
            if (status == JobStatus.SUCCEEDED) {
                job = write(job, job.transitionTo(JobStatus.RUNNING, submittedAt));
                job = write(job, job.transitionTo(JobStatus.DELIVERING, submittedAt));
                return write(job, job.succeeded(1, "{\"columns\":[],\"rows\":[],\"row_count\":0}", submittedAt));
            }
            if (status.isTerminal()) {
                return write(job, job.endWith(status, JobError.of(ErrorCode.QUERY_FAILED, "earlier failure"), submittedAt));
            }
            job = write(job, job.transitionTo(JobStatus.RUNNING, submittedAt));
            if (statementId != null) {
                job = write(job, job.withStatementId(statementId, submittedAt));
            }
            if (status == JobStatus.DELIVERING) {
                job = write(job, job.transitionTo(JobStatus.DELIVERING, submittedAt).withRowCount(rowCount));
            }
            return job;
        }

        private static Job write(Job current, Job next) {
            return JobTable.replace(JobTable.DEFAULT_NAME, current, next).written();
        }
    }
}
