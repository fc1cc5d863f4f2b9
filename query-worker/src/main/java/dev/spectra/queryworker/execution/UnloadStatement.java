package dev.spectra.queryworker.execution;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.result.UnloadQueryLiteral;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.queryworker.config.ResultsProperties;

import static java.util.Objects.requireNonNull;

/**
 * The {@code UNLOAD} a job whose result is exported by the warehouse runs instead of its query:
 * <pre>
 * UNLOAD ('&lt;query&gt;') TO 's3://&lt;bucket&gt;/tenant=&lt;tenant&gt;/job=&lt;job&gt;/unload/' IAM_ROLE '&lt;role&gt;'
 *     FORMAT PARQUET | FORMAT CSV HEADER [GZIP] MANIFEST VERBOSE MAXFILESIZE &lt;n&gt; MB
 * </pre>
 * The query is the job's SQL, its trailing semicolons dropped, and with a row limit
 * {@code SELECT * FROM (\n<sql>\n) AS spectra_limited LIMIT <n>} (the line breaks keep a trailing line comment
 * from swallowing the parenthesis). It goes into the literal by {@link UnloadQueryLiteral#quote}: every
 * {@code '} and every {@code \} doubled, which reads the same whether the warehouse takes backslashes as
 * escapes ({@code standard_conforming_strings} off, Redshift's reading of UNLOAD's literal) or not, so no
 * quote or backslash in a tenant's SQL can end the literal and add options or a second statement. The
 * statement runs as the tenant's database user, so row-level security bounds what it writes, as for the
 * query itself. The manifest is VERBOSE so the delivery worker learns each file's rows and the schema.
 */
public record UnloadStatement(String query, String bucket, TenantId tenant, JobId job, String iamRole, ResultFormat format,
                              Compression compression, long maxFileSizeMegabytes) {

    public UnloadStatement {
        requireNonNull(query, "query is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(tenant, "tenant is null");
        requireNonNull(job, "job is null");
        requireNonNull(iamRole, "iamRole is null");
        requireNonNull(format, "format is null");
        requireNonNull(compression, "compression is null");
        if (format != ResultFormat.PARQUET && format != ResultFormat.CSV) {
            throw new IllegalArgumentException("UNLOAD writes PARQUET or CSV, not " + format);
        }
        if (format == ResultFormat.PARQUET && compression != Compression.NONE) {
            throw new IllegalArgumentException("PARQUET compresses its own columns; compression must be NONE");
        }
        if (maxFileSizeMegabytes < 5) {
            throw new IllegalArgumentException("maxFileSizeMegabytes must be at least 5, was " + maxFileSizeMegabytes);
        }
    }

    /** Thrown when a job needs UNLOAD and {@code spectra.results.unload-iam-role} is not set. */
    public static final class MissingUnloadRoleException extends IllegalStateException {
        MissingUnloadRoleException() {
            super("spectra.results.unload-iam-role is not set: jobs exported by UNLOAD (PARQUET, and CSV as "
                    + "EXTERNAL_LINKS without a byte limit) cannot run until it is");
        }
    }

    /**
     * The UNLOAD of a job that {@link Job#unloads()}.
     *
     * @throws MissingUnloadRoleException when no role is configured
     */
    public static UnloadStatement of(Job job, ResultsProperties results) {
        DeliveryOptions delivery = job.delivery();
        if (!job.unloads()) {
            throw new IllegalArgumentException("job " + job.jobId().value() + " is not delivered by UNLOAD");
        }
        if (results.unloadIamRole() == null) {
            throw new MissingUnloadRoleException();
        }
        String query = withoutTrailingSemicolons(job.sql());
        if (delivery.rowLimit() != null) {
            query = "SELECT * FROM (\n" + query + "\n) AS spectra_limited LIMIT " + delivery.rowLimit();
        }
        return new UnloadStatement(query, results.bucket(), job.tenantId(), job.jobId(), results.unloadIamRole(),
                delivery.format(), delivery.compression(), results.maxFileSize().toMegabytes());
    }

    /** Where the files go: the job's own folder, so a tenant's files never share a prefix with another's. */
    public String destination() {
        return "s3://" + bucket + "/tenant=" + tenant.value() + "/job=" + job.value() + "/unload/";
    }

    /** The statement's text, as ExecuteStatement sends it. */
    public String text() {
        StringBuilder text = new StringBuilder("UNLOAD (").append(UnloadQueryLiteral.quote(query)).append(") TO '")
                .append(destination()).append("' IAM_ROLE '").append(iamRole).append("' FORMAT ");
        if (format == ResultFormat.PARQUET) {
            text.append("PARQUET");
        } else {
            text.append("CSV HEADER");
            if (compression == Compression.GZIP) {
                text.append(" GZIP");
            }
        }
        return text.append(" MANIFEST VERBOSE MAXFILESIZE ").append(maxFileSizeMegabytes).append(" MB").toString();
    }

    /**
     * A trailing {@code ;} would end the query inside the literal; dropping it is safe wherever it stands, since
     * at the very end it is either the statement's terminator or the last character of a line comment.
     */
    private static String withoutTrailingSemicolons(String sql) {
        int end = sql.length();
        while (end > 0 && (sql.charAt(end - 1) == ';' || Character.isWhitespace(sql.charAt(end - 1)))) {
            end--;
        }
        return sql.substring(0, end);
    }
}
