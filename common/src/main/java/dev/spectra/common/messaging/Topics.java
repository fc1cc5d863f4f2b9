package dev.spectra.common.messaging;

/** Default topic names; each service makes them configurable. */
public final class Topics {

    /** {@link JobRequested}, keyed by tenant id so that a tenant's jobs reach the worker holding its warm sessions. */
    public static final String QUERY_REQUESTS = "spectra.query-requests";
    /** {@link StatementFinished}, keyed by tenant id. */
    public static final String STATEMENT_RESULTS = "spectra.statement-results";
    /** {@link JobEvent}, keyed by tenant id, for downstream pipelines. */
    public static final String JOB_EVENTS = "spectra.job-events";
    /** {@link dev.spectra.common.audit.AuditRecord}, keyed by tenant id, for the audit trail. */
    public static final String AUDIT = "spectra.audit";

    private Topics() {}
}
