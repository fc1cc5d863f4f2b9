package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobFilter;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.gateway.problem.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A tenant's jobs, newest first, a page at a time: DynamoDB queries of the tenant's own partition, never a scan
 * (see {@code JobTable.tenantJobs}).
 *
 * <p><b>Page tokens.</b> A token says where the previous page stopped (a job id of the same tenant) and is signed
 * with HMAC-SHA256 over that position, the tenant and the request's filters. A token that was altered, that another
 * tenant got hold of, or that is sent with other filters than its page's is refused with 400 PAGE_TOKEN_INVALID; and
 * even a forged position could only start a query inside the caller's own partition.
 *
 * <p>Filters other than {@code submitted_after} are applied by DynamoDB after reading, so one page may take several
 * reads; after {@value #MAX_READS_PER_PAGE} reads a page is returned with fewer jobs than asked and a token to go on.
 */
public final class JobListing {

    static final int MAX_READS_PER_PAGE = 5;
    /** How many jobs one read looks at when filters may drop most of them. */
    private static final int FILTERED_READ_SIZE = 200;
    private static final String TOKEN_VERSION = "1";

    private final JobStore store;
    private final SecretKeySpec key;
    private final MeterRegistry meters;

    /** @param secret the token key; null for a random one of this process's own */
    public JobListing(JobStore store, String secret, MeterRegistry meters) {
        this.store = requireNonNull(store, "store is null");
        this.meters = requireNonNull(meters, "meters is null");
        byte[] keyBytes;
        if (secret == null) {
            keyBytes = new byte[32];
            new SecureRandom().nextBytes(keyBytes);
        } else {
            keyBytes = secret.getBytes(StandardCharsets.UTF_8);
        }
        this.key = new SecretKeySpec(keyBytes, "HmacSHA256");
    }

    /** One page, and the token of the next when there may be more. */
    public record Listed(List<Job> jobs, String nextPageToken) {
        public Listed {
            jobs = List.copyOf(jobs);
        }
    }

    public Mono<Listed> list(TenantId tenantId, JobFilter filter, int limit, String pageToken) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(filter, "filter is null");
        return Mono.defer(() -> {
            JobId after = pageToken == null ? null : position(tenantId, filter, pageToken);
            return collect(tenantId, filter, after, limit, new ArrayList<>(), 1);
        }).doOnNext(listed -> meters.counter("spectra.gateway.list.pages",
                "more", Boolean.toString(listed.nextPageToken() != null)).increment());
    }

    private Mono<Listed> collect(TenantId tenantId, JobFilter filter, JobId after, int limit, List<Job> collected, int read) {
        boolean filtered = !filter.statuses().isEmpty() || filter.name() != null || !filter.tags().isEmpty();
        int wanted = limit + 1 - collected.size();
        int readSize = filtered ? Math.max(wanted, FILTERED_READ_SIZE) : wanted;
        return store.list(tenantId, filter, after, readSize)
                .onErrorMap(error -> !(error instanceof ProblemException), error -> new ProblemException(Problems.storageUnavailable(), error))
                .flatMap(page -> {
                    for (Job job : page.jobs()) {
                        collected.add(job);
                        if (collected.size() > limit) {
                            List<Job> shown = collected.subList(0, limit);
                            return Mono.just(new Listed(shown, token(tenantId, filter, shown.getLast().jobId())));
                        }
                    }
                    if (page.lastRead() == null) {
                        return Mono.just(new Listed(collected, null));
                    }
                    if (read >= MAX_READS_PER_PAGE) {
                        return Mono.just(new Listed(collected, token(tenantId, filter, page.lastRead())));
                    }
                    return collect(tenantId, filter, page.lastRead(), limit, collected, read + 1);
                });
    }

    String token(TenantId tenantId, JobFilter filter, JobId after) {
        String position = TOKEN_VERSION + "." + after.value();
        String signature = encode(mac(tenantId, filter, position));
        return encode(position.getBytes(StandardCharsets.US_ASCII)) + "." + signature;
    }

    private JobId position(TenantId tenantId, JobFilter filter, String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 2 || token.length() > 200) {
            throw invalidToken();
        }
        byte[] position;
        byte[] signature;
        try {
            position = Base64.getUrlDecoder().decode(parts[0]);
            signature = Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw invalidToken();
        }
        String text = new String(position, StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(signature, mac(tenantId, filter, text))) {
            throw invalidToken();
        }
        if (!text.startsWith(TOKEN_VERSION + ".")) {
            throw invalidToken();
        }
        Optional<JobId> after = JobId.tryParse(text.substring(TOKEN_VERSION.length() + 1));
        return after.orElseThrow(JobListing::invalidToken);
    }

    private byte[] mac(TenantId tenantId, JobFilter filter, String position) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((tenantId.value() + "\n" + fingerprint(filter) + "\n" + position).getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The filters in one spelling, whatever order the client gave them in. */
    private static String fingerprint(JobFilter filter) {
        StringBuilder text = new StringBuilder();
        filter.statuses().stream().map(JobStatus::name).sorted().forEach(status -> text.append("s=").append(status).append('\n'));
        if (filter.submittedAfter() != null) {
            text.append("a=").append(filter.submittedAfter()).append('\n');
        }
        if (filter.name() != null) {
            text.append("n=").append(HexFormat.of().formatHex(filter.name().getBytes(StandardCharsets.UTF_8))).append('\n');
        }
        new TreeMap<>(filter.tags()).forEach((tagKey, value) -> text.append("t=")
                .append(HexFormat.of().formatHex(tagKey.getBytes(StandardCharsets.UTF_8))).append('=')
                .append(HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8))).append('\n'));
        return text.toString();
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static ProblemException invalidToken() {
        return new ProblemException(Problems.pageTokenInvalid());
    }
}
