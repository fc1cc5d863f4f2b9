package dev.spectra.common.job;

import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultSummary;
import dev.spectra.common.statement.JobOptions;
import dev.spectra.common.statement.ParameterType;
import dev.spectra.common.statement.QueryParameter;
import dev.spectra.common.tenant.TenantId;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * The job table's item layout and the requests every service uses on it. Requests, not calls, so
 * the reactive gateway and the blocking workers share one definition of the table.
 *
 * <p>The key is {@code (tenant_id, job_id)}: a job can only be addressed together with its tenant,
 * so another tenant's job id is simply absent. Every write after the first is a compare-and-set on
 * {@code version}; a {@code ConditionalCheckFailedException} means another writer got there first.
 *
 * <p><b>The index of active jobs.</b> Every job that has not ended carries {@code active_shard} (one of
 * {@link #ACTIVE_SHARDS} values, from its job id) and {@code lease_expires_at}; an ended job carries
 * neither. The global secondary index {@link #ACTIVE_INDEX} on those two attributes is therefore sparse:
 * it holds exactly the active jobs, ordered by lease expiry, so a sweeper finds jobs whose lease lapsed
 * with a query per shard, never a scan. Shards spread the index's partitions; keys only are projected,
 * and a sweeper reads the job itself with a consistent read before acting.
 */
public final class JobTable {

    public static final String DEFAULT_NAME = "spectra-jobs";

    static final String TENANT_ID = "tenant_id";
    static final String JOB_ID = "job_id";
    static final String STATUS = "status";
    static final String VERSION = "version";
    static final String SQL = "sql";
    static final String DATABASE_USER = "database_user";
    static final String MAX_CONCURRENT_QUERIES = "max_concurrent_queries";
    /** A map: disposition, format, compression, row_limit, byte_limit (the last two when set). */
    static final String DELIVERY = "delivery";
    static final String MAX_RESULT_BYTES = "max_result_bytes";
    /** The client's label for the statement; absent if none. */
    static final String NAME = "name";
    /** A map of the client's tags; absent if none. */
    static final String TAGS = "tags";
    static final String TIMEOUT_MILLIS = "timeout_ms";
    /** A list of maps: name, type, value (absent for NULL). */
    static final String PARAMETERS = "parameters";
    static final String SUBMITTED_AT = "submitted_at";
    static final String UPDATED_AT = "updated_at";
    /** Epoch seconds; the table's TTL attribute. */
    public static final String EXPIRES_AT = "expires_at";
    static final String STATEMENT_ID = "statement_id";
    static final String ROW_COUNT = "row_count";
    static final String ERROR_CODE = "error_code";
    static final String ERROR_MESSAGE = "error_message";
    static final String ERROR_RETRYABLE = "error_retryable";
    static final String RESULT = "result";
    /** A map of the {@link ResultSummary}; the manifest it names holds the columns and chunks. */
    static final String RESULT_SUMMARY = "result_summary";
    static final String LEASE_OWNER = "lease_owner";
    /** Epoch milliseconds; the sort key of {@link #ACTIVE_INDEX}. */
    static final String LEASE_EXPIRES_AT = "lease_expires_at";
    static final String ACTIVE_SHARD = "active_shard";

    public static final String ACTIVE_INDEX = "active-jobs";
    public static final int ACTIVE_SHARDS = 8;

    /** A job's key, as the index of active jobs hands it out. */
    public record JobKey(TenantId tenantId, JobId jobId) {
        public JobKey {
            requireNonNull(tenantId, "tenantId is null");
            requireNonNull(jobId, "jobId is null");
        }
    }

    private JobTable() {}

    /** A job write and the job as it stands once that write succeeds. */
    public record Write(PutItemRequest request, Job written) {
        public Write {
            requireNonNull(request, "request is null");
            requireNonNull(written, "written is null");
        }

        /**
         * Whether {@code stored}, read back after this write's condition failed, is this very write. A put
         * whose response was lost and that was retried (by the SDK or its caller) fails its own condition:
         * the version already moved, to this write. Only a different stored job means another writer won.
         */
        public boolean landedAs(Job stored) {
            return stored.version() == written.version()
                    && stored.status() == written.status()
                    && stored.updatedAt().equals(written.updatedAt())
                    && Objects.equals(stored.statementId(), written.statementId())
                    && Objects.equals(stored.lease(), written.lease());
        }
    }

    public static Map<String, AttributeValue> key(TenantId tenantId, JobId jobId) {
        return Map.of(TENANT_ID, s(tenantId.value()), JOB_ID, s(jobId.value()));
    }

    public static GetItemRequest get(String table, TenantId tenantId, JobId jobId) {
        return GetItemRequest.builder().tableName(table).key(key(tenantId, jobId)).consistentRead(true).build();
    }

    /**
     * The job as a status read needs it: everything but the whole result document (up to 64 KB on the item), a
     * consistent read. The job read this way has no {@code resultJson}: never write it back.
     */
    public static GetItemRequest getWithoutResult(String table, TenantId tenantId, JobId jobId) {
        Map<String, String> names = new HashMap<>();
        return GetItemRequest.builder().tableName(table).key(key(tenantId, jobId)).consistentRead(true)
                .projectionExpression(projectionWithoutResult(names)).expressionAttributeNames(names).build();
    }

    /** Creates a job that must not exist yet. */
    public static PutItemRequest insert(String table, Job job) {
        return PutItemRequest.builder()
                .tableName(table)
                .item(toItem(job))
                .conditionExpression("attribute_not_exists(#job_id)")
                .expressionAttributeNames(Map.of("#job_id", JOB_ID))
                .build();
    }

    /** Replaces {@code current} with {@code next}, only if the stored job is still at {@code current}'s version. */
    public static Write replace(String table, Job current, Job next) {
        if (!current.tenantId().equals(next.tenantId()) || !current.jobId().equals(next.jobId())) {
            throw new IllegalArgumentException("cannot replace a job with another job");
        }
        Job written = next.withVersion(current.version() + 1);
        PutItemRequest request = PutItemRequest.builder()
                .tableName(table)
                .item(toItem(written))
                .conditionExpression("#version = :expected")
                .expressionAttributeNames(Map.of("#version", VERSION))
                .expressionAttributeValues(Map.of(":expected", n(current.version())))
                .build();
        return new Write(request, written);
    }

    /**
     * Leases a job nobody claimed yet (QUEUED, unowned) to {@code owner} until {@code until}, in one conditional
     * update: a request record's job is claimed without reading it first. Returns the job as written
     * ({@code ALL_NEW}); the condition fails for any other job, which the caller then reads.
     */
    public static UpdateItemRequest claimUnowned(String table, TenantId tenantId, JobId jobId, String owner, Instant until) {
        requireNonNull(owner, "owner is null");
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(key(tenantId, jobId))
                .updateExpression("SET #owner = :owner, #lease_expires_at = :until, #version = #version + :one")
                .conditionExpression("#status = :queued AND attribute_not_exists(#owner) AND attribute_exists(#active_shard)")
                .expressionAttributeNames(Map.of("#owner", LEASE_OWNER, "#lease_expires_at", LEASE_EXPIRES_AT,
                        "#version", VERSION, "#status", STATUS, "#active_shard", ACTIVE_SHARD))
                .expressionAttributeValues(Map.of(":owner", s(owner), ":until", n(until.toEpochMilli()), ":one", n(1),
                        ":queued", s(JobStatus.QUEUED.name())))
                .returnValues(ReturnValue.ALL_NEW)
                .build();
    }

    // --- idempotency keys

    /**
     * How an idempotency key's item is keyed: in the tenant's partition of the job table, under a sort key no job id
     * can have (job ids are hex and dashes), so listings ({@link #tenantJobs}, bounded to ids) and the index of active
     * jobs (no {@code active_shard}) never see it. The client's key is stored only as its SHA-256.
     */
    static final String IDEMPOTENCY_KEY_PREFIX = "idempotency-key#";
    static final String IDEMPOTENT_JOB_ID = "idempotent_job_id";
    static final String REQUEST_HASH = "request_hash";

    /** What an idempotency key's item says: the job it created, the request that created it, until when it holds. */
    public record IdempotencyRecord(JobId jobId, String requestHash, Instant expiresAt) {
        public IdempotencyRecord {
            requireNonNull(jobId, "jobId is null");
            requireNonNull(requestHash, "requestHash is null");
            requireNonNull(expiresAt, "expiresAt is null");
        }

        public boolean isLiveAt(Instant now) {
            return now.isBefore(expiresAt);
        }
    }

    /**
     * Creates {@code job} and its idempotency key's item in one transaction: both or neither. The key's condition
     * fails when the key is already held (by a live item: one past its expiry, which the TTL deletes only
     * eventually, is taken over), the job's when its id is taken; the transaction is then cancelled with the
     * reasons in that order.
     *
     * @param keyHash     the SHA-256 of the client's key, hex
     * @param requestHash the SHA-256 of the request, hex: a later request with the key must match it
     */
    public static TransactWriteItemsRequest insertWithIdempotencyKey(String table, Job job, String keyHash, String requestHash,
            Instant now, Instant keyExpiresAt) {
        Map<String, AttributeValue> record = new HashMap<>(idempotencyKey(job.tenantId(), keyHash));
        record.put(IDEMPOTENT_JOB_ID, s(job.jobId().value()));
        record.put(REQUEST_HASH, s(requestHash));
        record.put(EXPIRES_AT, n(keyExpiresAt.getEpochSecond()));
        return TransactWriteItemsRequest.builder()
                .transactItems(
                        TransactWriteItem.builder().put(Put.builder()
                                .tableName(table)
                                .item(record)
                                .conditionExpression("attribute_not_exists(#job_id) OR #expires_at <= :now")
                                .expressionAttributeNames(Map.of("#job_id", JOB_ID, "#expires_at", EXPIRES_AT))
                                .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
                                .build()).build(),
                        TransactWriteItem.builder().put(Put.builder()
                                .tableName(table)
                                .item(toItem(job))
                                .conditionExpression("attribute_not_exists(#job_id)")
                                .expressionAttributeNames(Map.of("#job_id", JOB_ID))
                                .build()).build())
                .build();
    }

    public static GetItemRequest getIdempotencyKey(String table, TenantId tenantId, String keyHash) {
        return GetItemRequest.builder().tableName(table).key(idempotencyKey(tenantId, keyHash)).consistentRead(true).build();
    }

    /** Forgets a key whose job could not be queued, so that the client's retry with it runs the query. */
    public static DeleteItemRequest deleteIdempotencyKey(String table, TenantId tenantId, String keyHash, JobId jobId) {
        return DeleteItemRequest.builder()
                .tableName(table)
                .key(idempotencyKey(tenantId, keyHash))
                .conditionExpression("#idempotent_job_id = :job")
                .expressionAttributeNames(Map.of("#idempotent_job_id", IDEMPOTENT_JOB_ID))
                .expressionAttributeValues(Map.of(":job", s(jobId.value())))
                .build();
    }

    public static IdempotencyRecord idempotencyRecordOf(Map<String, AttributeValue> item) {
        return new IdempotencyRecord(JobId.of(item.get(IDEMPOTENT_JOB_ID).s()), item.get(REQUEST_HASH).s(),
                Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())));
    }

    private static Map<String, AttributeValue> idempotencyKey(TenantId tenantId, String keyHash) {
        if (!keyHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 in hex: " + keyHash);
        }
        return Map.of(TENANT_ID, s(tenantId.value()), JOB_ID, s(IDEMPOTENCY_KEY_PREFIX + keyHash));
    }

    public static CreateTableRequest createTable(String table) {
        return CreateTableRequest.builder()
                .tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(TENANT_ID).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(JOB_ID).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(ACTIVE_SHARD).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(LEASE_EXPIRES_AT).attributeType(ScalarAttributeType.N).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName(TENANT_ID).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(JOB_ID).keyType(KeyType.RANGE).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(ACTIVE_INDEX)
                        .keySchema(
                                KeySchemaElement.builder().attributeName(ACTIVE_SHARD).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(LEASE_EXPIRES_AT).keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build())
                .build();
    }

    /** Active jobs of one shard whose lease expired before {@code now}, soonest-expired first. */
    public static QueryRequest expiredLeases(String table, int shard, Instant now, int limit) {
        if (shard < 0 || shard >= ACTIVE_SHARDS) {
            throw new IllegalArgumentException("shard must be 0.." + (ACTIVE_SHARDS - 1) + ": " + shard);
        }
        return QueryRequest.builder()
                .tableName(table)
                .indexName(ACTIVE_INDEX)
                .keyConditionExpression("#shard = :shard AND #expires < :now")
                .expressionAttributeNames(Map.of("#shard", ACTIVE_SHARD, "#expires", LEASE_EXPIRES_AT))
                .expressionAttributeValues(Map.of(":shard", s(shardName(shard)), ":now", n(now.toEpochMilli())))
                .limit(limit)
                .build();
    }

    /**
     * One read of a tenant's jobs, newest first: a query of the tenant's partition in descending key order, which
     * is submission order because job ids are time-ordered ({@link JobId}). Never a scan, and never another
     * partition: the key condition names the tenant. Filters on status, name and tags are applied by DynamoDB
     * after the read, so a read may hold fewer than {@code limit} jobs and still have more to read: go on from
     * {@code LastEvaluatedKey}. The whole result document is left out; a listing shows summaries only.
     *
     * @param afterJobId the last job of the previous page (exclusive), null for the first page
     */
    public static QueryRequest tenantJobs(String table, TenantId tenantId, JobFilter filter, JobId afterJobId, int limit) {
        requireNonNull(filter, "filter is null");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#tenant", TENANT_ID);
        names.put("#job", JOB_ID);
        values.put(":tenant", s(tenantId.value()));
        values.put(":low", s(filter.submittedAfter() == null ? "0" : JobId.lowestAt(filter.submittedAfter())));
        values.put(":high", s("ffffffff-ffff-ffff-ffff-ffffffffffff"));
        List<String> conditions = new ArrayList<>();
        if (!filter.statuses().isEmpty()) {
            names.put("#status", STATUS);
            List<String> placeholders = new ArrayList<>();
            for (JobStatus status : filter.statuses()) {
                String placeholder = ":status_" + status.name().toLowerCase(java.util.Locale.ROOT);
                values.put(placeholder, s(status.name()));
                placeholders.add(placeholder);
            }
            conditions.add("#status IN (" + String.join(", ", placeholders) + ")");
        }
        if (filter.name() != null) {
            names.put("#name", NAME);
            values.put(":name", s(filter.name()));
            conditions.add("#name = :name");
        }
        int tag = 0;
        for (Map.Entry<String, String> entry : new java.util.TreeMap<>(filter.tags()).entrySet()) {
            names.put("#tags", TAGS);
            names.put("#tag" + tag, entry.getKey());
            values.put(":tag" + tag, s(entry.getValue()));
            conditions.add("#tags.#tag" + tag + " = :tag" + tag);
            tag++;
        }
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#tenant = :tenant AND #job BETWEEN :low AND :high")
                .projectionExpression(projectionWithoutResult(names))
                .scanIndexForward(false)
                .limit(limit)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values);
        if (!conditions.isEmpty()) {
            request.filterExpression(String.join(" AND ", conditions));
        }
        if (afterJobId != null) {
            request.exclusiveStartKey(key(tenantId, afterJobId));
        }
        return request.build();
    }

    /** The projection of {@link #LISTED_ATTRIBUTES}, its placeholders added to {@code names}. */
    private static String projectionWithoutResult(Map<String, String> names) {
        List<String> projected = new ArrayList<>();
        for (int attribute = 0; attribute < LISTED_ATTRIBUTES.size(); attribute++) {
            names.put("#a" + attribute, LISTED_ATTRIBUTES.get(attribute));
            projected.add("#a" + attribute);
        }
        return String.join(", ", projected);
    }

    /** Every attribute but the whole result document: what a listing or a status read reads of each job. */
    private static final List<String> LISTED_ATTRIBUTES = List.of(TENANT_ID, JOB_ID, STATUS, VERSION, SQL, DATABASE_USER,
            MAX_CONCURRENT_QUERIES, DELIVERY, MAX_RESULT_BYTES, NAME, TAGS, TIMEOUT_MILLIS, PARAMETERS, SUBMITTED_AT,
            UPDATED_AT, EXPIRES_AT, STATEMENT_ID, ROW_COUNT, ERROR_CODE, ERROR_MESSAGE, ERROR_RETRYABLE, RESULT_SUMMARY,
            LEASE_OWNER, LEASE_EXPIRES_AT, ACTIVE_SHARD);

    public static JobKey keyOf(Map<String, AttributeValue> item) {
        return new JobKey(TenantId.of(item.get(TENANT_ID).s()), JobId.of(item.get(JOB_ID).s()));
    }

    static int shardOf(JobId jobId) {
        return Math.floorMod(jobId.value().hashCode(), ACTIVE_SHARDS);
    }

    private static String shardName(int shard) {
        return "active-" + shard;
    }

    public static Map<String, AttributeValue> toItem(Job job) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TENANT_ID, s(job.tenantId().value()));
        item.put(JOB_ID, s(job.jobId().value()));
        item.put(STATUS, s(job.status().name()));
        item.put(VERSION, n(job.version()));
        item.put(SQL, s(job.sql()));
        item.put(DATABASE_USER, s(job.databaseUser()));
        if (job.maxConcurrentQueries() != null) {
            item.put(MAX_CONCURRENT_QUERIES, n(job.maxConcurrentQueries()));
        }
        item.put(DELIVERY, AttributeValue.fromM(deliveryItem(job.delivery())));
        putOptions(item, job.options());
        if (job.maxResultBytes() != null) {
            item.put(MAX_RESULT_BYTES, n(job.maxResultBytes()));
        }
        item.put(SUBMITTED_AT, s(job.submittedAt().toString()));
        item.put(UPDATED_AT, s(job.updatedAt().toString()));
        item.put(EXPIRES_AT, n(job.expiresAt().getEpochSecond()));
        if (job.statementId() != null) {
            item.put(STATEMENT_ID, s(job.statementId()));
        }
        if (job.rowCount() != null) {
            item.put(ROW_COUNT, n(job.rowCount()));
        }
        if (job.error() != null) {
            item.put(ERROR_CODE, s(job.error().code()));
            item.put(ERROR_MESSAGE, s(job.error().message()));
            item.put(ERROR_RETRYABLE, AttributeValue.fromBool(job.error().retryable()));
        }
        if (job.resultJson() != null) {
            item.put(RESULT, s(job.resultJson()));
        }
        if (job.result() != null) {
            item.put(RESULT_SUMMARY, AttributeValue.fromM(summaryItem(job.result())));
        }
        if (job.lease() != null) {
            item.put(ACTIVE_SHARD, s(shardName(shardOf(job.jobId()))));
            item.put(LEASE_EXPIRES_AT, n(job.lease().expiresAt().toEpochMilli()));
            if (job.lease().owner() != null) {
                item.put(LEASE_OWNER, s(job.lease().owner()));
            }
        }
        return item;
    }

    public static Job fromItem(Map<String, AttributeValue> item) {
        JobError error = item.containsKey(ERROR_CODE)
                ? new JobError(item.get(ERROR_CODE).s(), item.get(ERROR_MESSAGE).s(), item.get(ERROR_RETRYABLE).bool())
                : null;
        return new Job(
                TenantId.of(item.get(TENANT_ID).s()),
                JobId.of(item.get(JOB_ID).s()),
                JobStatus.valueOf(item.get(STATUS).s()),
                Long.parseLong(item.get(VERSION).n()),
                item.get(SQL).s(),
                item.get(DATABASE_USER).s(),
                item.containsKey(MAX_CONCURRENT_QUERIES) ? Integer.valueOf(item.get(MAX_CONCURRENT_QUERIES).n()) : null,
                // A job written before jobs carried delivery options asked for nothing: the defaults.
                item.containsKey(DELIVERY) ? deliveryOf(item.get(DELIVERY).m()) : DeliveryOptions.DEFAULT,
                optionsOf(item),
                longOrNull(item, MAX_RESULT_BYTES),
                Instant.parse(item.get(SUBMITTED_AT).s()),
                Instant.parse(item.get(UPDATED_AT).s()),
                Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())),
                stringOrNull(item, STATEMENT_ID),
                item.containsKey(ROW_COUNT) ? Long.parseLong(item.get(ROW_COUNT).n()) : null,
                error,
                stringOrNull(item, RESULT),
                summaryOf(item),
                leaseOf(item));
    }

    /**
     * The item's lease. An active job written before jobs had leases has none: it reads as unowned and long
     * lapsed, so that the next request record for it claims it as a new job would be.
     */
    private static Job.Lease leaseOf(Map<String, AttributeValue> item) {
        if (item.containsKey(LEASE_EXPIRES_AT)) {
            return new Job.Lease(stringOrNull(item, LEASE_OWNER), Instant.ofEpochMilli(Long.parseLong(item.get(LEASE_EXPIRES_AT).n())));
        }
        return JobStatus.valueOf(item.get(STATUS).s()).isTerminal() ? null : new Job.Lease(null, Instant.EPOCH);
    }

    private static void putOptions(Map<String, AttributeValue> item, JobOptions options) {
        if (options.name() != null) {
            item.put(NAME, s(options.name()));
        }
        if (!options.tags().isEmpty()) {
            Map<String, AttributeValue> tags = new HashMap<>();
            options.tags().forEach((key, value) -> tags.put(key, s(value)));
            item.put(TAGS, AttributeValue.fromM(tags));
        }
        if (options.timeout() != null) {
            item.put(TIMEOUT_MILLIS, n(options.timeout().toMillis()));
        }
        if (!options.parameters().isEmpty()) {
            List<AttributeValue> parameters = new ArrayList<>();
            for (QueryParameter parameter : options.parameters()) {
                Map<String, AttributeValue> map = new HashMap<>();
                map.put("name", s(parameter.name()));
                map.put("type", s(parameter.type().name()));
                if (parameter.value() != null) {
                    map.put("value", s(parameter.value()));
                }
                parameters.add(AttributeValue.fromM(map));
            }
            item.put(PARAMETERS, AttributeValue.fromL(parameters));
        }
    }

    /** A job written before jobs carried options has none: no name, tags or parameters, the worker's timeout. */
    private static JobOptions optionsOf(Map<String, AttributeValue> item) {
        Map<String, String> tags = new HashMap<>();
        if (item.containsKey(TAGS)) {
            item.get(TAGS).m().forEach((key, value) -> tags.put(key, value.s()));
        }
        List<QueryParameter> parameters = new ArrayList<>();
        if (item.containsKey(PARAMETERS)) {
            for (AttributeValue value : item.get(PARAMETERS).l()) {
                Map<String, AttributeValue> map = value.m();
                parameters.add(new QueryParameter(map.get("name").s(), ParameterType.valueOf(map.get("type").s()),
                        stringOrNull(map, "value")));
            }
        }
        Long timeout = longOrNull(item, TIMEOUT_MILLIS);
        return new JobOptions(stringOrNull(item, NAME), tags, timeout == null ? null : Duration.ofMillis(timeout), parameters);
    }

    private static Map<String, AttributeValue> deliveryItem(DeliveryOptions delivery) {
        Map<String, AttributeValue> map = new HashMap<>();
        map.put("disposition", s(delivery.disposition().name()));
        map.put("format", s(delivery.format().name()));
        map.put("compression", s(delivery.compression().name()));
        if (delivery.rowLimit() != null) {
            map.put("row_limit", n(delivery.rowLimit()));
        }
        if (delivery.byteLimit() != null) {
            map.put("byte_limit", n(delivery.byteLimit()));
        }
        return map;
    }

    private static DeliveryOptions deliveryOf(Map<String, AttributeValue> map) {
        return new DeliveryOptions(
                Disposition.valueOf(map.get("disposition").s()),
                ResultFormat.valueOf(map.get("format").s()),
                Compression.valueOf(map.get("compression").s()),
                longOrNull(map, "row_limit"),
                longOrNull(map, "byte_limit"));
    }

    private static Map<String, AttributeValue> summaryItem(ResultSummary summary) {
        Map<String, AttributeValue> map = new HashMap<>();
        map.put("disposition", s(summary.disposition().name()));
        map.put("format", s(summary.format().name()));
        map.put("compression", s(summary.compression().name()));
        map.put("row_count", n(summary.rowCount()));
        map.put("byte_count", n(summary.byteCount()));
        map.put("truncated", AttributeValue.fromBool(summary.truncated()));
        map.put("chunk_count", n(summary.chunkCount()));
        if (summary.manifest() != null) {
            map.put("manifest", s(summary.manifest().toString()));
        }
        return map;
    }

    /**
     * The item's result summary. A job that SUCCEEDED before jobs carried one has its whole document on the item
     * ({@code result}): it reads as a one-chunk inline result.
     */
    private static ResultSummary summaryOf(Map<String, AttributeValue> item) {
        if (item.containsKey(RESULT_SUMMARY)) {
            Map<String, AttributeValue> map = item.get(RESULT_SUMMARY).m();
            return new ResultSummary(
                    Disposition.valueOf(map.get("disposition").s()),
                    ResultFormat.valueOf(map.get("format").s()),
                    Compression.valueOf(map.get("compression").s()),
                    Long.parseLong(map.get("row_count").n()),
                    Long.parseLong(map.get("byte_count").n()),
                    map.get("truncated").bool(),
                    Integer.parseInt(map.get("chunk_count").n()),
                    map.containsKey("manifest") ? ResultLocation.parse(map.get("manifest").s()) : null);
        }
        if (item.containsKey(RESULT)) {
            String document = item.get(RESULT).s();
            long rows = item.containsKey(ROW_COUNT) ? Long.parseLong(item.get(ROW_COUNT).n()) : 0;
            return ResultSummary.onItem(rows, document.getBytes(StandardCharsets.UTF_8).length, false);
        }
        return null;
    }

    private static Long longOrNull(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : Long.valueOf(value.n());
    }

    private static String stringOrNull(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
