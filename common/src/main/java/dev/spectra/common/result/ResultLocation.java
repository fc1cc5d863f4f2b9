package dev.spectra.common.result;

import dev.spectra.common.job.JobId;
import dev.spectra.common.tenant.TenantId;

import java.net.URI;

import static java.util.Objects.requireNonNull;

/**
 * An object in the results bucket, as {@code s3://bucket/key}. Every object of a job lies under
 * {@link #jobPrefix}: {@code tenant=<id>/job=<id>/}, so a bucket policy, a lifecycle rule or an operator can
 * address one tenant's or one job's results by prefix.
 */
public record ResultLocation(String bucket, String key) {

    public ResultLocation {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        if (bucket.isBlank() || key.isBlank() || key.startsWith("/")) {
            throw new IllegalArgumentException("not an object location: s3://" + bucket + "/" + key);
        }
    }

    /** {@code tenant=<id>/job=<id>/}: tenant and job ids are lower-case letters, digits and dashes, safe in a key. */
    public static String jobPrefix(TenantId tenantId, JobId jobId) {
        return "tenant=" + tenantId.value() + "/job=" + jobId.value() + "/";
    }

    public static ResultLocation parse(String uri) {
        URI parsed = URI.create(requireNonNull(uri, "uri is null"));
        if (!"s3".equals(parsed.getScheme()) || parsed.getHost() == null || parsed.getPath() == null || parsed.getPath().length() < 2) {
            throw new IllegalArgumentException("not an s3://bucket/key location: " + uri);
        }
        return new ResultLocation(parsed.getHost(), parsed.getPath().substring(1));
    }

    /** Whether the object belongs to that job's folder: a manifest naming any other object is not served. */
    public boolean isUnder(TenantId tenantId, JobId jobId) {
        return key.startsWith(jobPrefix(tenantId, jobId)) && !key.contains("/../") && !key.contains("//");
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
