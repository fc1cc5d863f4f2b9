package dev.spectra.gateway.sql;

import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.gateway.problem.ProblemException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.spectra.common.error.ErrorCode.SQL_FORBIDDEN_FUNCTION;
import static dev.spectra.common.error.ErrorCode.SQL_FORBIDDEN_OBJECT;
import static dev.spectra.common.error.ErrorCode.SQL_INVALID;
import static dev.spectra.common.error.ErrorCode.SQL_MULTIPLE_STATEMENTS;
import static dev.spectra.common.error.ErrorCode.SQL_NOT_READ_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SqlGuardTest {

    private static final GuardFixture FIXTURE = GuardFixture.withParseTimeout(Duration.ofSeconds(5));
    private final SqlGuard guard = FIXTURE.guard();

    @AfterAll
    static void stopThreads() {
        FIXTURE.close();
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
        assertThat(guard.inspect(sql).rejection()).as(sql).isEmpty();
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
                arguments("SELECT pg_read_file('/etc/passwd')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT pg_sleep(600)", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT * FROM pg_ls_dir('.')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT current_setting('search_path')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT pg_catalog.current_setting('search_path')", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT set_config('search_path', 'other', false)", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT * FROM dblink('host=x', 'SELECT 1') AS t(a int)", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT query_to_xml('SELECT * FROM pg_shadow', true, true, '')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT * FROM sales ORDER BY pg_sleep(1)", SQL_FORBIDDEN_FUNCTION),
                arguments("this is not sql", SQL_INVALID),
                arguments("SELEC * FRM sales", SQL_INVALID),
                arguments("SELECT * FROM", SQL_INVALID),
                arguments(";", SQL_INVALID),
                arguments("-- nothing but a comment", SQL_INVALID));
    }

    @ParameterizedTest
    @MethodSource({"refusedStatements", "hostileSpellings"})
    void refusesWhatIsNotOneReadOnlyQueryOfTenantData(String sql, ErrorCode expected) {
        assertThat(guard.inspect(sql).rejection()).as(sql)
                .hasValueSatisfying(rejection -> assertThat(rejection.code()).isEqualTo(expected));
    }

    @Test
    void explainsAnUnparseableTextWithTheParsersFirstLineOnly() {
        assertThat(guard.inspect("SELEC * FRM sales").rejection()).hasValueSatisfying(rejection -> assertThat(rejection.detail())
                .contains("SELEC")
                .contains("line 1, column 1")
                .doesNotContain("\n")
                .doesNotContain("Exception")
                .doesNotContain("net.sf.jsqlparser"));
    }

    @Test
    void namesTheStatementItRefuses() {
        assertThat(guard.inspect("DROP TABLE sales").rejection()).hasValueSatisfying(rejection -> assertThat(rejection.detail())
                .contains("DROP is not"));
    }

    @Test
    void namesTheSystemObjectItRefuses() {
        assertThat(guard.inspect("SELECT * FROM pg_catalog.pg_roles").rejection()).hasValueSatisfying(rejection ->
                assertThat(rejection.detail()).startsWith("pg_catalog is a system object"));
    }

    @Test
    void checkEmitsTheCanonicalTextOrFailsWithAProblem() {
        StepVerifier.create(guard.check(TenantId.of("acme"), "SELECT 1 -- one"))
                .assertNext(accepted -> assertThat(accepted.text()).isEqualTo("SELECT 1"))
                .verifyComplete();
        StepVerifier.create(guard.check(TenantId.of("acme"), "DROP TABLE sales"))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(ProblemException.class,
                        problem -> {
                            assertThat(problem.problem().code()).isEqualTo(SQL_NOT_READ_ONLY);
                            assertThat(problem.problem().status().value()).isEqualTo(400);
                        }))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void givesUpOnATextThatTakesTooLongToParse() {
        try (GuardFixture impatient = GuardFixture.withParseTimeout(Duration.ofMillis(5))) {
            assertThat(impatient.guard().inspect(GuardFixture.slowToParse()).rejection()).hasValueSatisfying(rejection -> {
                assertThat(rejection.code()).isEqualTo(SQL_INVALID);
                assertThat(rejection.detail()).contains("within 5 ms");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3000, 65})
    void refusesParenthesesNestedDeeperThanTheLimitBeforeParsing(int depth) {
        String deeplyNested = "SELECT " + "(".repeat(depth) + "1" + ")".repeat(depth);

        assertThat(guard.inspect(deeplyNested).rejection()).hasValueSatisfying(rejection -> {
            assertThat(rejection.code()).isEqualTo(SQL_INVALID);
            assertThat(rejection.detail()).contains("more than 64 deep");
        });
    }

    @Test
    void refusesCaseExpressionsNestedDeeperThanTheLimitBeforeParsing() {
        String deeplyNested = "SELECT " + "CASE WHEN 1 = 1 THEN ".repeat(300) + "1" + " END".repeat(300);

        assertThat(guard.inspect(deeplyNested).rejection()).hasValueSatisfying(rejection -> {
            assertThat(rejection.code()).isEqualTo(SQL_INVALID);
            assertThat(rejection.detail()).contains("more than 64 deep");
        });
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        String nested = "SELECT " + "(".repeat(30) + "CASE WHEN 1 = 1 THEN ".repeat(30) + "1" + " END".repeat(30) + ")".repeat(30);

        assertThat(guard.inspect(nested).rejection()).isEmpty();
    }

    @Test
    void findsTheLeadingKeywordPastCommentsAndParentheses() throws PostgresLexer.LexException {
        assertThat(SqlGuard.leadingKeyword(PostgresLexer.tokenize("  -- note\n /* block */ ((unload ('x') to 's3://b')", true)))
                .hasValue("unload");
        assertThat(SqlGuard.leadingKeyword(PostgresLexer.tokenize("   ", true))).isEmpty();
    }
    static Stream<Arguments> hostileSpellings() {
        return Stream.of(
                // functions that run SQL given as text, in every spelling
                arguments("SELECT U&\"query\\005fto\\005fxml\"('select rolname from pg_roles', true, true, '')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT U&\"query!005fto!005fxml\" UESCAPE '!'('select 1', true, true, '')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT \"query_to_xml\"('select 1', true, true, '')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT QUERY_TO_XML('select 1', true, true, '')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT query_to_xml /* c */ ('select 1', true, true, '')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT * FROM ts_stat('select to_tsvector(rolname) from pg_roles')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT table_to_xml('sales', true, true, '')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT cursor_to_xml('c', 1, true, true, '')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT xpath('/a', query_to_xml('select 1', true, true, ''))", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT xmlparse(document '<a/>')", SQL_FORBIDDEN_FUNCTION),
                // role, privilege and session oracles
                arguments("SELECT to_regrole('tenant_globex')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT has_table_privilege('tenant_globex', 'sales', 'select')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT has_database_privilege('x', 'dev', 'connect')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT aclexplode(relacl) FROM sales", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT * FROM pg_stat_get_activity(NULL)", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT inet_server_addr()", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT version()", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT current_schemas(true)", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT current_schema()", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT lo_import('/etc/passwd')", SQL_FORBIDDEN_FUNCTION),
                arguments("SELECT pg_catalog.lower('A')", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT public.lower('A')", SQL_FORBIDDEN_FUNCTION),
                // object-identifier types: casts, typed literals, quoted and escaped
                arguments("SELECT 16384::regrole", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT 16384::\"regrole\"", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT 16384::U&\"\\0072egrole\"", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT CAST(16384 AS regrole)", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT regrole '16384'", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT g::oid::regrole FROM generate_series(16384, 16500) g", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT 'sales'::regclass::oid", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT 'pg_roles'::regclass", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT 1::oid", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT oid '1'", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT numeric(10, 2) '1.5', regproc(1) '1'", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT x FROM sales WHERE amount > foo '1'", SQL_FORBIDDEN_OBJECT),
                // catalogs in every spelling
                arguments("SELECT reltuples FROM pg_class WHERE relname = 'sales'", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM PG_CATALOG . PG_CLASS", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM pg_catalog/* c */.\"pg_class\"", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM U&\"pg\\005fclass\"", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM U&\"!0070g_roles\" UESCAPE '!'", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM dev.pg_catalog.pg_class", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM dev.public.sales", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM \"information_schema\".\"tables\"", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT * FROM sales s, LATERAL (SELECT * FROM pg_stats) x", SQL_FORBIDDEN_OBJECT),
                arguments("SELECT 1 UNION SELECT n_live_tup FROM pg_stat_user_tables", SQL_FORBIDDEN_OBJECT),
                // more than one statement, however the lexers are made to disagree
                arguments("SELECT E'\\' /*' --\r; DO $$BEGIN RAISE EXCEPTION 'ran as %', current_user; END$$ --*/", SQL_MULTIPLE_STATEMENTS),
                arguments("SELECT 1 --\r; SELECT 2", SQL_MULTIPLE_STATEMENTS),
                arguments("SELECT 1 /* /* */ ; */ ; SELECT 2", SQL_MULTIPLE_STATEMENTS),
                arguments("SELECT '\\'; SELECT 2 --'", SQL_MULTIPLE_STATEMENTS),
                arguments("SELECT $a$ ; $a$; SELECT 2", SQL_MULTIPLE_STATEMENTS),
                arguments("SELECT 1\u0000; SELECT 2", SQL_INVALID),
                arguments("SELECT 'unterminated", SQL_INVALID),
                arguments("SELECT 1 /* unterminated", SQL_INVALID),
                arguments("SELECT $a$ unterminated", SQL_INVALID),
                arguments("SELECT 1 \\ 2", SQL_INVALID),
                arguments("SELECT E'\\xC0'", SQL_INVALID));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT region, listagg(product, ',') WITHIN GROUP (ORDER BY product) FROM sales GROUP BY region",
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount), median(amount) FROM sales",
            "SELECT dateadd(day, 1, ordered_at), datediff(day, ordered_at, getdate()), date_trunc('month', ordered_at) FROM sales",
            "SELECT nvl(region, 'none'), decode(region, 'EU', 1, 0), coalesce(NULL, 1), nullif(1, 1) FROM sales",
            "SELECT json_extract_path_text('{\"a\": 1}', 'a'), json_parse('[1]'), is_valid_json('{}')",
            "SELECT lag(amount) OVER w, lead(amount, 2) OVER w, ntile(4) OVER w FROM sales WINDOW w AS (ORDER BY order_id)",
            "SELECT row_number() OVER (PARTITION BY region ORDER BY amount DESC) FROM sales",
            "SELECT sum(amount) FROM sales GROUP BY ROLLUP (region, product)",
            "SELECT * FROM generate_series(1, 3) AS g(i)",
            "SELECT * FROM sales TABLESAMPLE bernoulli (10)",
            "SELECT date '2024-01-31', timestamp '2024-01-31 10:00', interval '1 day', time with time zone '10:00'",
            "SELECT ordered_at AT TIME ZONE 'UTC', region LIKE 'E%' ESCAPE '!' FROM sales ORDER BY 'x'",
            "SELECT amount::numeric(12, 2), amount::double precision, order_id::varchar(20), ordered_at::timestamp(3) FROM sales",
            "SELECT CAST(amount AS decimal(10, 2)), CAST(region AS character varying(10)) FROM sales",
            "SELECT upper(region) || ' ' || lower(product), split_part('a,b', ',', 2), regexp_substr(region, '[A-Z]+') FROM sales",
            "SELECT E'it\\'s', 'it''s', $q$it's$q$, U&'d\\0061ta'",
            "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3) SELECT n FROM t",
            "WITH totals AS MATERIALIZED (SELECT region, sum(amount) AS total FROM sales GROUP BY region) SELECT * FROM totals",
            "SELECT * FROM (SELECT 1) AS sub(x)",
            "SELECT tid, oid_count FROM orders",
    })
    void acceptsTheAnalyticQueriesTenantsWrite(String sql) {
        assertThat(guard.inspect(sql).rejection()).as(sql).isEmpty();
    }

    @Test
    void hasTheWarehouseRunTheCanonicalTextItJudged() {
        assertThat(guard.inspect("SELECT /* why */ E'a\\'b', $$c$$ -- note\r, U&\"x\\0079\" FROM t;").accepted())
                .hasValueSatisfying(accepted -> assertThat(accepted.text()).isEqualTo("SELECT 'a''b' , 'c' , \"xy\" FROM t"));
    }

    @Test
    void lexesBackslashesAsRedshiftDoesWhenStandardConformingStringsAreOff() {
        try (GuardFixture redshift = GuardFixture.with(Duration.ofSeconds(5), new SqlGuardProperties(false, 64, 4, 1, 32))) {
            assertThat(redshift.guard().inspect("SELECT 'a\\'; SELECT 1 --'").rejection()).isEmpty();
            assertThat(redshift.guard().inspect("SELECT 'a\\\\'; SELECT 1 --'").rejection())
                    .hasValueSatisfying(rejection -> assertThat(rejection.code()).isEqualTo(SQL_MULTIPLE_STATEMENTS));
            assertThat(redshift.guard().inspect("SELECT 'a\\'b'").accepted())
                    .hasValueSatisfying(accepted -> assertThat(accepted.text()).isEqualTo("SELECT 'a''b'"));
        }
    }
    @Test
    void oneTenantsSlowSqlDoesNotFailOrDelayAnotherTenantsCheck() {
        try (GuardFixture fixture = GuardFixture.withParseTimeout(Duration.ofSeconds(5))) {
            List<reactor.core.Disposable> flood = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                flood.add(fixture.guard().check(TenantId.of("acme"), GuardFixture.slowToParse()).subscribe(ok -> { }, error -> { }));
            }

            SqlGuard.GuardedSql globex = fixture.guard().check(TenantId.of("globex"), "SELECT 1").block(Duration.ofSeconds(5));
            int acmeStillWaiting = fixture.bulkhead().pending(TenantId.of("acme"));

            assertThat(globex).isNotNull();
            assertThat(globex.text()).isEqualTo("SELECT 1");
            assertThat(acmeStillWaiting).as("acme's texts still queued when globex's was done").isGreaterThan(1);
            flood.forEach(reactor.core.Disposable::dispose);
        }
    }
}
