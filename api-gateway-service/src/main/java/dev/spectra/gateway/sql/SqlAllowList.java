package dev.spectra.gateway.sql;

import java.util.Set;

/**
 * What a tenant query may call and cast to: the analytic functions Redshift documents (scalar,
 * aggregate, window, date and time, string, math, JSON and SUPER), as far as a read-only query needs
 * them, and the plain data types. Everything else is refused, so a function the list has never heard
 * of is refused too; that is the point of an allow-list.
 *
 * <p>Deliberately absent: anything that runs SQL given as text ({@code query_to_xml}, {@code ts_stat},
 * {@code dblink}), inspects roles, privileges, sessions or settings ({@code has_table_privilege},
 * {@code to_regrole}, {@code current_setting}, {@code pg_*}), reads files or large objects
 * ({@code pg_read_file}, {@code lo_*}), talks to the network ({@code inet_*}), sleeps ({@code pg_sleep}),
 * or describes the server ({@code version}). Casts to the {@code reg*} types are refused as types.
 *
 * <p>Names are matched as PostgreSQL resolves them: unquoted names folded to lower case, quoted names
 * exactly (so {@code "LOWER"(x)} is refused: the warehouse would not find it either).
 */
final class SqlAllowList {

    private SqlAllowList() {}

    static final Set<String> FUNCTIONS = Set.of(
            // aggregates
            "any_value", "avg", "bit_and", "bit_or", "bool_and", "bool_or", "count", "listagg",
            "max", "median", "min", "percentile_cont", "percentile_disc", "stddev", "stddev_pop", "stddev_samp",
            "string_agg", "sum", "var_pop", "var_samp", "variance", "array_agg", "corr", "covar_pop", "covar_samp",
            "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope", "regr_sxx",
            "regr_sxy", "regr_syy", "every", "mode",
            // window
            "cume_dist", "dense_rank", "first_value", "lag", "last_value", "lead", "nth_value", "ntile",
            "percent_rank", "rank", "ratio_to_report", "row_number",
            // conditional
            "coalesce", "decode", "greatest", "least", "nullif", "nvl", "nvl2",
            // math
            "abs", "acos", "asin", "atan", "atan2", "cbrt", "ceil", "ceiling", "cos", "cot", "degrees", "dexp",
            "div", "dlog1", "dlog10", "exp", "floor", "ln", "log", "mod", "pi", "pow", "power", "radians", "random",
            "round", "sign", "sin", "sqrt", "tan", "trunc", "width_bucket", "gcd", "lcm", "factorial", "scale",
            // string
            "ascii", "bpcharcmp", "btrim", "bttext_pattern_cmp", "char_length", "character_length", "charindex",
            "chr", "concat", "concat_ws", "crc32", "difference", "format", "initcap", "left", "len", "length",
            "lower", "lpad", "ltrim", "md5", "octet_length", "overlay", "position", "quote_ident", "quote_literal",
            "regexp_count", "regexp_instr", "regexp_like", "regexp_match", "regexp_matches", "regexp_replace",
            "regexp_split_to_array", "regexp_substr", "repeat", "replace", "replicate", "reverse", "right", "rpad",
            "rtrim", "sha1", "sha2", "func_sha1", "sha256", "sha512", "soundex", "split_part", "starts_with",
            "strpos", "strtol", "substr", "substring", "textlen", "to_hex", "translate", "trim", "upper",
            "fnv_hash", "checksum", "unistr", "string_to_array", "array_to_string",
            // date and time
            "add_months", "age", "convert_timezone", "current_date", "date", "date_add", "date_bin", "date_cmp",
            "date_cmp_timestamp", "date_cmp_timestamptz", "date_part", "date_part_year", "date_trunc", "dateadd",
            "datediff", "extract", "getdate", "interval_cmp", "isfinite", "justify_days", "justify_hours",
            "justify_interval", "last_day", "make_date", "make_interval", "make_time", "make_timestamp",
            "make_timestamptz", "months_between", "next_day", "now", "sysdate", "timeofday", "timestamp_cmp",
            "timestamp_cmp_date", "timestamp_cmp_timestamptz", "timestamptz_cmp", "timestamptz_cmp_date",
            "timestamptz_cmp_timestamp", "timezone", "to_char", "to_date", "to_number", "to_timestamp",
            "clock_timestamp", "statement_timestamp", "transaction_timestamp",
            // JSON and SUPER
            "can_json_parse", "is_valid_json", "is_valid_json_array", "json_array_length",
            "json_extract_array_element_text", "json_extract_path_text", "json_parse", "json_serialize",
            "json_serialize_to_varbyte", "json_size", "json_typeof", "array", "array_concat", "array_flatten",
            "get_array_length", "split_to_array", "subarray", "is_array", "is_bigint", "is_boolean", "is_char",
            "is_decimal", "is_float", "is_integer", "is_object", "is_scalar", "is_smallint", "is_varchar",
            "object", "object_transform", "json_build_array", "json_build_object", "jsonb_build_array",
            "jsonb_build_object", "to_json", "to_jsonb", "json_agg", "jsonb_agg", "json_object_agg",
            "jsonb_object_agg", "jsonb_extract_path_text", "json_array_elements", "jsonb_array_elements",
            "jsonb_array_length", "jsonb_typeof",
            // arrays and sets
            "array_length", "array_position", "array_positions", "array_remove", "array_append", "array_prepend",
            "array_cat", "cardinality", "unnest", "generate_series",
            // grouping and rows
            "grouping", "row", "values", "exists",
            // hashing of values, formatting of numbers
            "to_varbyte", "from_varbyte", "encode", "hll", "hll_cardinality", "hll_combine", "hll_create_sketch",
            // function-style casts
            "bigint", "bool", "boolean", "char", "character", "decimal", "float", "float4", "float8", "int", "int2",
            "int4", "int8", "integer", "interval", "numeric", "real", "smallint", "text", "time", "timestamp",
            "timestamptz", "timetz", "varchar", "bpchar");

    /** Clauses JSqlParser represents as function calls: {@code GROUP BY ROLLUP (a, b)}, {@code CUBE (a)}. */
    static final Set<String> PARSER_CONSTRUCTS = Set.of("rollup", "cube", "grouping sets");

    /** Type names a cast or a typed literal may name (the first word of multi-word names). */
    static final Set<String> TYPES = Set.of(
            "bigint", "bit", "bool", "boolean", "bpchar", "bytea", "char", "character", "date", "dec", "decimal",
            "double", "float", "float4", "float8", "geography", "geometry", "hllsketch", "int", "int2", "int4",
            "int8", "integer", "interval", "json", "jsonb", "national", "nchar", "numeric", "nvarchar", "real",
            "smallint", "string", "super", "text", "time", "timestamp", "timestamptz", "timetz", "uuid",
            "varbinary", "varbit", "varbyte", "varchar");
}
