package dev.spectra.gateway.sql;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.gateway.problem.ProblemException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static dev.spectra.common.error.ErrorCode.SQL_FORBIDDEN_OBJECT;
import static dev.spectra.common.error.ErrorCode.SQL_INVALID;
import static dev.spectra.common.error.ErrorCode.SQL_MULTIPLE_STATEMENTS;
import static dev.spectra.common.error.ErrorCode.SQL_NOT_READ_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SqlGuardTest {

    private static final ExecutorService PARSER_POOL = Executors.newFixedThreadPool(2);
    private final SqlGuard guard = new SqlGuard(PARSER_POOL, Duration.ofSeconds(5), Schedulers.boundedElastic(),
            new SimpleMeterRegistry());

    @AfterAll
    static void stopParserPool() {
        PARSER_POOL.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1",
            "SELECT 1;",
            "select region, sum(amount) from sales group by region order by 2 desc limit 10",
            "SELECT s.id, c.name FROM sales s JOIN customers c ON c.id = s.customer_id LEFT JOIN regions r USING (region_id)",
            "WITH totals AS (SELECT region, sum(amount) AS total FROM sales GROUP BY region) SELECT * FROM totals WHERE total > 100",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n",
            "SELECT region, amount, rank() OVER (PARTITION BY region ORDER BY amount DESC) AS r FROM sales",
            "SELECT a FROM t UNION SELECT b FROM u EXCEPT SELECT c FROM v",
            "SELECT * FROM sales WHERE customer_id IN (SELECT id FROM customers WHERE country = 'DE')",
            "SELECT * FROM sales s WHERE EXISTS (SELECT 1 FROM refunds r WHERE r.sale_id = s.id)",
            "SELECT \"Region\", \"Total Amount\" FROM \"Sales Report\"",
            "-- monthly report\nSELECT /* all columns */ * FROM sales -- trailing comment",
            "SELECT amount::numeric(10,2), sold_at::date, name ILIKE 'a%' FROM sales",
            "SELECT count(*) FILTER (WHERE amount > 10) FROM sales",
            "SELECT DISTINCT ON (region) region, amount FROM sales ORDER BY region, amount DESC",
            "SELECT CASE WHEN amount > 100 THEN 'big' ELSE 'small' END FROM sales",
            "SELECT ';' AS semicolon, 'DROP TABLE sales' AS text",
            "(SELECT 1)",
            "VALUES (1, 'a'), (2, 'b')",
            "SELECT current_user, now(), date_trunc('month', sold_at) FROM sales",
            "SELECT * FROM systems, pgs, sales_sys",
    })
    void acceptsReadOnlyQueries(String sql) {
        assertThat(guard.inspect(sql)).isEmpty();
    }

    static Stream<Arguments> refusedStatements() {
        return Stream.of(
                arguments("DROP TABLE sales", SQL_NOT_READ_ONLY),
                arguments("drop table sales;", SQL_NOT_READ_ONLY),
                arguments("INSERT INTO sales VALUES (1)", SQL_NOT_READ_ONLY),
                arguments("UPDATE sales SET amount = 0", SQL_NOT_READ_ONLY),
                arguments("DELETE FROM sales", SQL_NOT_READ_ONLY),
                arguments("MERGE INTO sales USING staging s ON sales.id = s.id WHEN MATCHED THEN DELETE", SQL_NOT_READ_ONLY),
                arguments("TRUNCATE sales", SQL_NOT_READ_ONLY),
                arguments("CREATE TABLE copy AS SELECT * FROM sales", SQL_NOT_READ_ONLY),
                arguments("ALTER TABLE sales ADD COLUMN x int", SQL_NOT_READ_ONLY),
                arguments("GRANT SELECT ON sales TO public", SQL_NOT_READ_ONLY),
                arguments("SET search_path = other_tenant", SQL_NOT_READ_ONLY),
                arguments("RESET ALL", SQL_NOT_READ_ONLY),
                arguments("COPY sales TO '/tmp/sales.csv'", SQL_NOT_READ_ONLY),
                arguments("UNLOAD ('SELECT * FROM sales') TO 's3://bucket/x'", SQL_NOT_READ_ONLY),
                arguments("CALL refresh_everything()", SQL_NOT_READ_ONLY),
                arguments("EXPLAIN SELECT * FROM sales", SQL_NOT_READ_ONLY),
                arguments("VACUUM sales", SQL_NOT_READ_ONLY),
                arguments("/* sneaky */ VACUUM sales", SQL_NOT_READ_ONLY),
                arguments("SELECT * INTO sales_copy FROM sales", SQL_NOT_READ_ONLY),
                arguments("SELECT * FROM sales FOR UPDATE", SQL_NOT_READ_ONLY),
                arguments("SELECT * FROM sales FOR SHARE", SQL_NOT_READ_ONLY),
                arguments("SELECT * FROM (SELECT * FROM sales FOR UPDATE) locked", SQL_NOT_READ_ONLY),
                arguments("WITH d AS (DELETE FROM sales RETURNING *) SELECT * FROM d", SQL_NOT_READ_ONLY),
                arguments("WITH i AS (INSERT INTO audit VALUES (1) RETURNING *) SELECT * FROM i", SQL_NOT_READ_ONLY),
                arguments("SELECT * FROM (WITH u AS (UPDATE sales SET amount = 0 RETURNING *) SELECT * FROM u) x", SQL_NOT_READ_ONLY),
                arguments("SELECT 1; SELECT 2", SQL_MULTIPLE_STATEMENTS),
                arguments("SELECT 1; DROP TABLE sales", SQL_MULTIPLE_STATEMENTS),
                arguments("SELECT * FROM pg_catalog.pg_roles", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM pg_user", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM \"PG_SHADOW\"", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM information_schema.tables", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM stv_sessions", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM stl_query", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM svl_qlog", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM svv_table_info", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM sys_query_history", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM sales WHERE id IN (SELECT usesysid FROM pg_user)", SQL_FORBIDDEN_OBJECT),
                arguments("WITH u AS (SELECT * FROM stv_inflight) SELECT * FROM u", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT pg_read_file('/etc/passwd')", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT pg_sleep(600)", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM pg_ls_dir('.')", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT current_setting('search_path')", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT pg_catalog.current_setting('search_path')", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT set_config('search_path', 'other', false)", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM dblink('host=x', 'SELECT 1') AS t(a int)", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT query_to_xml('SELECT * FROM pg_shadow', true, true, '')", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM sales ORDER BY pg_sleep(1)", SQL_FORBIDDEN_OBJECT),
                arguments("this is not sql", SQL_INVALID),
                arguments("SELEC * FRM sales", SQL_INVALID),
                arguments("SELECT * FROM", SQL_INVALID),
                arguments(";", SQL_INVALID),
                arguments("-- nothing but a comment", SQL_INVALID));
    }

    @ParameterizedTest
    @MethodSource("refusedStatements")
    void refusesWhatIsNotOneReadOnlyQueryOfTenantData(String sql, ErrorCode expected) {
        assertThat(guard.inspect(sql)).hasValueSatisfying(rejection -> assertThat(rejection.code()).isEqualTo(expected));
    }

    @Test
    void explainsAnUnparseableTextWithTheParsersFirstLineOnly() {
        assertThat(guard.inspect("SELEC * FRM sales")).hasValueSatisfying(rejection -> assertThat(rejection.detail())
                .contains("SELEC")
                .contains("line 1, column 1")
                .doesNotContain("\n")
                .doesNotContain("Exception")
                .doesNotContain("net.sf.jsqlparser"));
    }

    @Test
    void namesTheStatementItRefuses() {
        assertThat(guard.inspect("DROP TABLE sales")).hasValueSatisfying(rejection -> assertThat(rejection.detail())
                .contains("DROP is not"));
    }

    @Test
    void namesTheSystemObjectItRefuses() {
        assertThat(guard.inspect("SELECT * FROM pg_catalog.pg_roles")).hasValueSatisfying(rejection ->
                assertThat(rejection.detail()).startsWith("pg_catalog.pg_roles is a system object"));
    }

    @Test
    void checkRunsOffTheCallingThreadAndFailsWithAProblem() {
        StepVerifier.create(guard.check("SELECT 1")).verifyComplete();
        StepVerifier.create(guard.check("DROP TABLE sales"))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(ProblemException.class,
                        problem -> {
                            assertThat(problem.problem().code()).isEqualTo(SQL_NOT_READ_ONLY);
                            assertThat(problem.problem().status().value()).isEqualTo(400);
                        }))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void givesUpOnATextThatTakesTooLongToParse() {
        SqlGuard impatient = new SqlGuard(PARSER_POOL, Duration.ofMillis(200), Schedulers.boundedElastic(),
                new SimpleMeterRegistry());
        String deeplyNested = "SELECT " + "(".repeat(3000) + "1" + ")".repeat(3000);

        assertThat(impatient.inspect(deeplyNested)).hasValueSatisfying(rejection -> {
            assertThat(rejection.code()).isEqualTo(SQL_INVALID);
            assertThat(rejection.detail()).contains("within 200 ms");
        });
    }

    @Test
    void findsTheLeadingKeywordPastCommentsAndParentheses() {
        assertThat(SqlGuard.leadingKeyword("  -- note\n /* block */ ((unload ('x') to 's3://b')")).hasValue("UNLOAD");
        assertThat(SqlGuard.leadingKeyword("   ")).isEmpty();
    }
}
