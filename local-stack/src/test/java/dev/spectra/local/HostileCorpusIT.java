package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.awaitility.core.ConditionTimeoutException;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every statement of the hostile corpus, sent by acme: the service never fails with 5xx, refuses with
 * a problem that carries a code or runs the job to an end, and nothing acme gets back names another
 * tenant, another tenant's database user, a warehouse password, or a count or size only a view across
 * tenants could give. Afterwards the warehouse is exactly as it was. Failures are collected per
 * technique, so that one run shows every leak.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCorpusIT {

    /** The warehouse ends a tenant's runaway query after this, well within the test's deadlines. */
    private static final Duration RUNAWAY_QUERY_LIMIT = Duration.ofSeconds(15);
    private static final String ACME = "acme";
    private static final String GLOBEX = "globex";
    private static final int CONCURRENCY = 4;
    /** Longer than the warehouse's statement timeout must be, so a statement the warehouse ends is not mistaken for one that runs away. */
    private static final Duration JOB_DEADLINE = Duration.parse(System.getProperty("spectra.hostile.job-deadline", "PT60S"));
    /** Results this small are searched for cross-tenant numbers; larger ones are acme's own rows, whose order ids cover every small count. */
    private static final int SMALL_RESULT_ROWS = 50;

    private LocalStack stack;
    private Path stateDirectory;
    private ForbiddenKnowledge forbidden;
    private TenantClient acme;
    private TenantClient globex;
    private WarehouseSnapshot before;
    private final Map<String, List<String>> failuresByGroup = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Integer>> outcomesByGroup = new ConcurrentHashMap<>();
    private List<String> warehouseChanges;

    @BeforeAll
    void runTheCorpusAsAcme() {
        Path root = TestRepository.root();
        stateDirectory = root.resolve("local-stack/target/hostile-corpus-stack");
        stack = LocalStack.start(new LocalStackSettings(root, stateDirectory, FreePorts.next())
                .withTenantLimits(TenantLimits.DEFAULTS.withStatementTimeout(RUNAWAY_QUERY_LIMIT)));
        GatewayClient gateway = new GatewayClient(stack.gatewayUrl());
        forbidden = ForbiddenKnowledge.of(ACME, stack, List.of(stateDirectory, root.resolve(".spectra/local")));
        acme = new TenantClient(gateway, ACME, stack.tokens().tokenFor(TenantId.of(ACME)),
                forbidden.databaseUserOf(ACME), stack.warehouse().administratorDataSource());
        globex = new TenantClient(gateway, GLOBEX, stack.tokens().tokenFor(TenantId.of(GLOBEX)),
                forbidden.databaseUserOf(GLOBEX), stack.warehouse().administratorDataSource());
        // globex holds a warm session, so that whatever shows other sessions has one to show
        assertThat(globex.run("SELECT count(*) FROM sales", JOB_DEADLINE).jobStatus()).isEqualTo("SUCCEEDED");
        before = WarehouseSnapshot.take(stack.warehouse().administratorDataSource());

        List<HostileStatement> corpus = HostileStatement.corpus();
        ExecutorService tenantThreads = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            for (boolean changesSession : List.of(false, true)) {
                CompletableFuture.allOf(corpus.stream()
                        .filter(statement -> statement.changesSession() == changesSession)
                        .map(statement -> CompletableFuture.runAsync(() -> check(statement), tenantThreads))
                        .toArray(CompletableFuture[]::new)).join();
            }
        } finally {
            tenantThreads.shutdownNow();
        }
        warehouseChanges = changesSince(before);
        printSummary(corpus.size());
    }

    @AfterAll
    void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void noHostileStatementFailsTheServiceOrRevealsAnotherTenant() {
        Map<String, List<String>> sorted = new TreeMap<>(failuresByGroup);
        StringBuilder report = new StringBuilder();
        sorted.forEach((group, failures) -> {
            report.append(System.lineSeparator()).append("== ").append(group).append(" (").append(failures.size()).append(")");
            failures.stream().sorted().forEach(failure -> report.append(System.lineSeparator()).append("  ").append(failure));
        });

        assertThat(sorted).as("statements that failed the service or leaked, by technique:%s", report).isEmpty();
    }

    @Test
    void theHostileCorpusLeavesTheWarehouseAsItWas() {
        assertThat(warehouseChanges).as("warehouse state changed by the corpus").isEmpty();
    }

    @Test
    void acmesOwnQueriesStillAnswerCorrectlyOnEverySessionAfterTheCorpus() {
        // More jobs than acme has pooled sessions, so that a setting smuggled onto any one of them shows.
        List<QueryOutcome> outcomes = IntStream.range(0, 12).parallel()
                .mapToObj(i -> acme.run("SELECT count(*) AS orders FROM sales", JOB_DEADLINE))
                .toList();

        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.jobStatus()).as(outcome.summary()).isEqualTo("SUCCEEDED");
            assertThat(outcome.resultRowsText()).isEqualTo("[[" + DemoTenant.ACME.salesRows() + "]]");
        });
    }

    private void check(HostileStatement statement) {
        if (!statement.isOracleProbe()) {
            QueryOutcome outcome = acme.run(statement.sql(), JOB_DEADLINE);
            record(statement, outcome, problemsWith(outcome));
            return;
        }
        Map<String, String> real = Map.of(
                HostileStatement.OTHER_USER, forbidden.databaseUserOf(GLOBEX),
                HostileStatement.OTHER_TENANT, GLOBEX);
        Map<String, String> invented = Map.of(
                HostileStatement.OTHER_USER, inventedNameLike(forbidden.databaseUserOf(GLOBEX)),
                HostileStatement.OTHER_TENANT, inventedNameLike(GLOBEX));
        QueryOutcome withReal = acme.run(statement.with(real), JOB_DEADLINE);
        QueryOutcome withInvented = acme.run(statement.with(invented), JOB_DEADLINE);
        List<String> problems = new ArrayList<>(problemsWith(withReal));
        problemsWith(withInvented).forEach(problem -> problems.add("with an invented name: " + problem));
        String realView = anonymise(withReal.observable(), real);
        String inventedView = anonymise(withInvented.observable(), invented);
        if (!realView.equals(inventedView)) {
            problems.add("oracle: the answer tells an existing name from an invented one: existing -> "
                    + QueryOutcome.clip(realView, 300) + " | invented -> " + QueryOutcome.clip(inventedView, 300));
        }
        record(statement, withReal, problems);
    }

    private List<String> problemsWith(QueryOutcome outcome) {
        List<String> problems = new ArrayList<>();
        String sql = outcome.sql();
        if (outcome.transportError() != null) {
            problems.add("the gateway did not answer: " + outcome.transportError());
            return problems;
        }
        if (outcome.revealsASecondCommand(forbidden.databaseUserOf(ACME))) {
            problems.add("a second command ran: the answer says \"" + QueryOutcome.SECOND_COMMAND_MARKER + "\"");
        }
        if (outcome.submitStatus() >= 500) {
            problems.add("HTTP " + outcome.submitStatus() + ": " + QueryOutcome.clip(outcome.submitBody(), 200));
        } else if (outcome.refused()) {
            if (!outcome.submitContentType().startsWith("application/problem+json") || outcome.problemCode() == null) {
                problems.add("refused with " + outcome.submitStatus() + " but without a problem code: " + QueryOutcome.clip(outcome.submitBody(), 200));
            }
            // Parser messages cite columns and lines, which are not counts: only names are searched.
            forbidden.namesIn(outcome.submitBody(), sql).forEach(leak -> problems.add("refusal reveals " + leak));
        } else if (!outcome.accepted()) {
            problems.add("unexpected HTTP " + outcome.submitStatus() + ": " + QueryOutcome.clip(outcome.submitBody(), 200));
        } else {
            if (!outcome.endedOnItsOwn()) {
                problems.add("did not end within " + JOB_DEADLINE.toSeconds() + " s (the test cancelled it in the warehouse; then " + outcome.jobStatus() + ")");
            } else if (!outcome.terminal()) {
                problems.add("never reached a terminal state: " + outcome.jobStatus());
            }
            forbidden.namesIn(outcome.statusBody(), sql).forEach(leak -> problems.add("status document reveals " + leak));
            forbidden.numbersIn(outcome.errorMessage(), sql).forEach(leak -> problems.add("error message reveals " + leak));
            if (forbidden.isForbiddenNumber(outcome.statusRowCount())) {
                problems.add("row_count is a cross-tenant count: " + outcome.statusRowCount());
            }
            if (outcome.resultsBody() != null) {
                forbidden.namesIn(outcome.resultsBody(), sql).forEach(leak -> problems.add("results reveal " + leak));
                if (outcome.resultRows() <= SMALL_RESULT_ROWS) {
                    forbidden.numbersIn(outcome.resultsBody(), sql).forEach(leak -> problems.add("results reveal " + leak));
                }
            }
        }
        return problems;
    }

    private void record(HostileStatement statement, QueryOutcome outcome, List<String> problems) {
        String kind = outcome.transportError() != null ? "no answer"
                : outcome.refused() ? "refused " + outcome.problemCode()
                : outcome.accepted() ? String.valueOf(outcome.jobStatus()) : "HTTP " + outcome.submitStatus();
        outcomesByGroup.computeIfAbsent(statement.group(), group -> new ConcurrentHashMap<>()).merge(kind, 1, Integer::sum);
        if (!problems.isEmpty()) {
            failuresByGroup.computeIfAbsent(statement.group(), group -> Collections.synchronizedList(new ArrayList<>()))
                    .add(statement.id() + " " + QueryOutcome.clip(statement.sql(), 140) + System.lineSeparator()
                            + "      -> " + String.join("; ", problems) + System.lineSeparator()
                            + "      answer: " + outcome.summary());
        }
    }

    private List<String> changesSince(WarehouseSnapshot earlier) {
        AtomicReference<List<String>> changes = new AtomicReference<>();
        try {
            // sessions may still be finishing their last statement
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                changes.set(earlier.differencesTo(WarehouseSnapshot.take(stack.warehouse().administratorDataSource())));
                return changes.get().isEmpty();
            });
        } catch (ConditionTimeoutException e) {
            // reported by the test that checks them
        }
        return changes.get();
    }

    private void printSummary(int statements) {
        System.out.printf("Hostile corpus: %d statements%n", statements);
        new TreeMap<>(outcomesByGroup).forEach((group, outcomes) -> System.out.printf("  %-24s %s, failing: %d%n",
                group, new TreeMap<>(outcomes), failuresByGroup.getOrDefault(group, List.of()).size()));
        System.out.println("Warehouse changes: " + warehouseChanges);
    }

    /** A name that does not exist, as long as the real one, so that messages quoting either line up. */
    private static String inventedNameLike(String name) {
        SecureRandom random = new SecureRandom();
        StringBuilder invented = new StringBuilder("zz");
        while (invented.length() < name.length()) {
            invented.append((char) ('a' + random.nextInt(26)));
        }
        return invented.toString();
    }

    private static String anonymise(String text, Map<String, String> names) {
        String anonymous = text;
        // longest first: a tenant id may be part of its database user's name
        List<Map.Entry<String, String>> longestFirst = names.entrySet().stream()
                .sorted((left, right) -> right.getValue().length() - left.getValue().length()).toList();
        for (Map.Entry<String, String> name : longestFirst) {
            anonymous = anonymous.replace(name.getValue(), "<" + name.getKey() + ">");
        }
        return anonymous;
    }

}
