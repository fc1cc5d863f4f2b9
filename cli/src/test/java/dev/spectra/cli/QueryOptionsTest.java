package dev.spectra.cli;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryOptionsTest {

    private static QueryOptions parse(String... arguments) {
        return QueryOptions.parse(List.of(arguments));
    }

    @Test
    void theSqlAloneTakesEveryDefault() {
        QueryOptions options = parse("SELECT 1");

        assertThat(options.sql()).isEqualTo("SELECT 1");
        assertThat(options.format()).isEqualTo(OutputFormat.JSON);
        assertThat(options.progress()).isEqualTo(ProgressMode.AUTO);
        assertThat(options.tenant()).isNull();
        assertThat(options.out()).isNull();
        assertThat(options.gateway()).isNull();
        assertThat(options.token()).isNull();
        assertThat(options.timeoutSeconds()).isNull();
        assertThat(options.parameters()).isEmpty();
        assertThat(options.localState()).isNull();
        assertThat(options.help()).isFalse();
    }

    @Test
    void readsEveryOptionWithItsValueAsTheNextArgument() {
        QueryOptions options = parse("--tenant", "globex", "--format", "csv", "--out", "sales.csv", "--gateway", "http://gw:8080/",
                "--token", "t0k", "--timeout", "30", "--param", "region=EU", "--param", "n=3:INT", "--no-progress",
                "--local-state", "/repo/.spectra/local/tenants.json", "SELECT * FROM sales WHERE region = :region LIMIT :n");

        assertThat(options.tenant()).isEqualTo("globex");
        assertThat(options.format()).isEqualTo(OutputFormat.CSV);
        assertThat(options.out()).isEqualTo(Path.of("sales.csv"));
        assertThat(options.gateway()).isEqualTo(URI.create("http://gw:8080"));
        assertThat(options.token()).isEqualTo("t0k");
        assertThat(options.timeoutSeconds()).isEqualTo(30);
        assertThat(options.parameters()).containsExactly(new QueryParameter("region", "EU", ParameterType.STRING),
                new QueryParameter("n", "3", ParameterType.INT));
        assertThat(options.progress()).isEqualTo(ProgressMode.OFF);
        assertThat(options.localState()).isEqualTo(Path.of("/repo/.spectra/local/tenants.json"));
        assertThat(options.sql()).startsWith("SELECT * FROM sales");
    }

    @Test
    void readsOptionsWrittenWithAnEqualsSign() {
        QueryOptions options = parse("--tenant=acme", "--format=JSONL", "--out=rows.jsonl", "--timeout=5", "--param=d=2026-01-01:DATE",
                "--progress", "SELECT 1");

        assertThat(options.tenant()).isEqualTo("acme");
        assertThat(options.format()).isEqualTo(OutputFormat.JSONL);
        assertThat(options.out()).isEqualTo(Path.of("rows.jsonl"));
        assertThat(options.timeoutSeconds()).isEqualTo(5);
        assertThat(options.parameters()).containsExactly(new QueryParameter("d", "2026-01-01", ParameterType.DATE));
        assertThat(options.progress()).isEqualTo(ProgressMode.ON);
    }

    @Test
    void theSqlMayComeBeforeTheOptionsAndAfterADoubleDash() {
        assertThat(parse("SELECT 1", "--tenant", "acme").tenant()).isEqualTo("acme");
        assertThat(parse("--", "--tenant").sql()).isEqualTo("--tenant");
    }

    @Test
    void sqlThatStartsWithADashIsStillSql() {
        assertThat(parse("-1 AS minus").sql()).isEqualTo("-1 AS minus");
        assertThat(parse("--tenant", "acme", "-- the count\nSELECT COUNT(*) FROM sales").sql()).startsWith("-- the count");
    }

    @Test
    void helpWinsOverEverythingElse() {
        assertThat(parse("--format", "csv", "--help").help()).isTrue();
        assertThat(parse("-h").help()).isTrue();
    }

    @Test
    void parquetAndJsonLinesAreExportsButJsonIsNot() {
        assertThat(parse("--format", "parquet", "--out", "x.parquet", "SELECT 1").format().isExport()).isTrue();
        assertThat(parse("--format", "jsonl", "--out", "x.jsonl", "SELECT 1").format().isExport()).isTrue();
        assertThat(parse("--format", "json", "SELECT 1").format().isExport()).isFalse();
    }

    @Test
    void refusesAnExportWithoutAnOutputFile() {
        assertThatThrownBy(() -> parse("--format", "csv", "SELECT 1"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--out FILE");
    }

    @Test
    void refusesAMissingOrSecondSql() {
        assertThatThrownBy(() -> parse("--tenant", "acme")).isInstanceOf(UsageException.class).hasMessage("no SQL given");
        assertThatThrownBy(() -> parse("SELECT", "1")).isInstanceOf(UsageException.class).hasMessageContaining("quote the whole query");
        assertThatThrownBy(() -> parse("  ")).isInstanceOf(UsageException.class).hasMessage("the SQL is empty");
    }

    @Test
    void refusesUnknownOptionsAndOptionsWithoutTheirValue() {
        assertThatThrownBy(() -> parse("--verbose", "SELECT 1")).isInstanceOf(UsageException.class).hasMessage("unknown option --verbose");
        assertThatThrownBy(() -> parse("SELECT 1", "--tenant")).isInstanceOf(UsageException.class).hasMessage("--tenant needs a value");
        assertThatThrownBy(() -> parse("--token=", "SELECT 1")).isInstanceOf(UsageException.class).hasMessage("--token needs a value");
        assertThatThrownBy(() -> parse("--progress=yes", "SELECT 1")).isInstanceOf(UsageException.class).hasMessage("--progress takes no value");
    }

    @Test
    void refusesValuesOutsideWhatAnOptionTakes() {
        assertThatThrownBy(() -> parse("--format", "xml", "SELECT 1")).isInstanceOf(UsageException.class)
                .hasMessageContaining("json, csv, jsonl, parquet");
        assertThatThrownBy(() -> parse("--timeout", "0", "SELECT 1")).isInstanceOf(UsageException.class).hasMessageContaining("from 1");
        assertThatThrownBy(() -> parse("--timeout", "soon", "SELECT 1")).isInstanceOf(UsageException.class).hasMessageContaining("whole number");
        assertThatThrownBy(() -> parse("--gateway", "localhost:8080", "SELECT 1")).isInstanceOf(UsageException.class)
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> parse("--param", "region", "SELECT 1")).isInstanceOf(UsageException.class)
                .hasMessageContaining("name=value[:TYPE]");
    }

    @Test
    void neverShowsTheTokenInItsText() {
        assertThat(parse("--token", "s3cr3t-value", "SELECT 1").toString()).doesNotContain("s3cr3t-value").contains("(hidden)");
    }
}
