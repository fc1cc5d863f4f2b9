package dev.spectra.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The command line of {@code ./spectra query}, checked: one SQL text, and an export format only with {@code --out}.
 * Where the connection comes from when {@code gateway}, {@code token} or {@code tenant} is absent is
 * {@link ConnectionResolver}'s business.
 *
 * @param tenant         {@code --tenant}, or {@code null}
 * @param out            {@code --out}, or {@code null}: print to stdout
 * @param gateway        {@code --gateway}, or {@code null}
 * @param token          {@code --token}, or {@code null}; never shown, {@link #toString()} included
 * @param timeoutSeconds {@code --timeout}, or {@code null}: the tenant's maximum
 * @param localState     the local stack's {@code tenants.json} ({@code --local-state}, passed by the script), or {@code null}
 */
record QueryOptions(String sql, String tenant, OutputFormat format, Path out, URI gateway, String token, Integer timeoutSeconds,
                    List<QueryParameter> parameters, ProgressMode progress, Path localState, boolean help) {

    static final String USAGE = """
            usage: ./spectra query [options] "SQL"

            Runs one read-only SQL query through the Spectra gateway, follows the job, and prints its
            rows (a table on a terminal, tab-separated values otherwise) or saves them with --out.

              --tenant ID           the tenant (default: SPECTRA_TENANT, else the first in the local stack's tenants.json)
              --format FORMAT       json (default: rows inline), or an export: csv, jsonl, parquet (needs --out)
              --out FILE            write the result to FILE: JSON Lines for json, the export's files otherwise
              --gateway URL         the gateway (default: SPECTRA_GATEWAY, else the local stack's)
              --token TOKEN         the bearer token (default: SPECTRA_TOKEN, else the tenant's in tenants.json)
              --timeout SECONDS     the job's own time limit; past it the job ends TIMED_OUT
              --param NAME=VALUE[:TYPE]
                                    binds :NAME; TYPE is STRING (default), INT, BIGINT, DECIMAL, DOUBLE,
                                    BOOLEAN, DATE or TIMESTAMP; the value null is SQL NULL; repeat for more
              --progress, --no-progress
                                    force the progress line on stderr on or off (default: on a terminal only)
              --local-state FILE    the local stack's tenants.json (./spectra passes it)
              -h, --help            this text

            Ctrl-C cancels the job. Exit codes:
              0    the job SUCCEEDED
              1    the job FAILED in the warehouse (its error code and message on stderr)
              2    usage error, or the API refused the request (its code and detail on stderr)
              3    the job TIMED_OUT
              4    the job was CANCELLED by someone else
              5    the service is unavailable (5xx after retries, or no connection)
              130  interrupted by Ctrl-C (the job is cancelled)""";

    QueryOptions {
        requireNonNull(format, "format is null");
        requireNonNull(progress, "progress is null");
        parameters = List.copyOf(parameters);
        if (!help) {
            requireNonNull(sql, "sql is null");
        }
    }

    static QueryOptions parse(List<String> arguments) {
        Parser parser = new Parser(arguments);
        return parser.parse();
    }

    @Override
    public String toString() {
        return "QueryOptions[tenant=" + tenant + ", format=" + format + ", out=" + out + ", gateway=" + gateway + ", token="
                + (token == null ? null : "(hidden)") + ", timeoutSeconds=" + timeoutSeconds + ", parameters=" + parameters
                + ", progress=" + progress + ", localState=" + localState + ", help=" + help + "]";
    }

    /** One pass over the arguments; {@code --name value} and {@code --name=value} both work, {@code --} ends the options. */
    private static final class Parser {

        private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*(=.*)?", Pattern.DOTALL);

        private final List<String> arguments;
        private int next;

        private String sql;
        private String tenant;
        private OutputFormat format = OutputFormat.JSON;
        private Path out;
        private URI gateway;
        private String token;
        private Integer timeoutSeconds;
        private final List<QueryParameter> parameters = new ArrayList<>();
        private ProgressMode progress = ProgressMode.AUTO;
        private Path localState;

        Parser(List<String> arguments) {
            this.arguments = List.copyOf(arguments);
        }

        QueryOptions parse() {
            boolean optionsEnded = false;
            while (next < arguments.size()) {
                String argument = arguments.get(next++);
                if (optionsEnded || !looksLikeAnOption(argument)) {
                    sql(argument);
                    continue;
                }
                if (argument.equals("--")) {
                    optionsEnded = true;
                    continue;
                }
                if (argument.equals("-h") || argument.equals("--help")) {
                    return new QueryOptions(null, null, OutputFormat.JSON, null, null, null, null, List.of(), ProgressMode.AUTO, null, true);
                }
                option(argument);
            }
            if (sql == null) {
                throw new UsageException("no SQL given");
            }
            if (format.isExport() && out == null) {
                throw new UsageException("--format " + format.flag() + " is an export to files: add --out FILE");
            }
            return new QueryOptions(sql, tenant, format, out, gateway, token, timeoutSeconds, parameters, progress, localState, false);
        }

        /** {@code --name}, {@code --name=value} or {@code -h}: SQL such as {@code -- a comment ...} or {@code -1} is not. */
        private static boolean looksLikeAnOption(String argument) {
            return argument.equals("--") || argument.equals("-h") || OPTION.matcher(argument).matches();
        }

        private void option(String argument) {
            int equals = argument.indexOf('=');
            String name = equals < 0 ? argument : argument.substring(0, equals);
            String inlineValue = equals < 0 ? null : argument.substring(equals + 1);
            switch (name) {
                case "--tenant" -> tenant = nonBlank(name, value(name, inlineValue));
                case "--format" -> format = OutputFormat.ofFlag(value(name, inlineValue));
                case "--out" -> out = Path.of(nonBlank(name, value(name, inlineValue)));
                case "--gateway" -> gateway = Connection.gatewayUrl(value(name, inlineValue), "--gateway");
                case "--token" -> token = nonBlank(name, value(name, inlineValue));
                case "--timeout" -> timeoutSeconds = positiveSeconds(value(name, inlineValue));
                case "--param" -> parameters.add(QueryParameter.parse(value(name, inlineValue)));
                case "--local-state" -> localState = Path.of(nonBlank(name, value(name, inlineValue)));
                case "--progress" -> progress = flag(name, inlineValue, ProgressMode.ON);
                case "--no-progress" -> progress = flag(name, inlineValue, ProgressMode.OFF);
                default -> throw new UsageException("unknown option " + name);
            }
        }

        private void sql(String argument) {
            if (sql != null) {
                throw new UsageException("one SQL text expected, got a second one: quote the whole query");
            }
            if (argument.isBlank()) {
                throw new UsageException("the SQL is empty");
            }
            sql = argument;
        }

        private String value(String name, String inlineValue) {
            if (inlineValue != null) {
                return inlineValue;
            }
            if (next >= arguments.size()) {
                throw new UsageException(name + " needs a value");
            }
            return arguments.get(next++);
        }

        private static ProgressMode flag(String name, String inlineValue, ProgressMode mode) {
            if (inlineValue != null) {
                throw new UsageException(name + " takes no value");
            }
            return mode;
        }

        private static String nonBlank(String name, String value) {
            if (value.isBlank()) {
                throw new UsageException(name + " needs a value");
            }
            return value;
        }

        private static Integer positiveSeconds(String value) {
            try {
                int seconds = Integer.parseInt(value);
                if (seconds < 1) {
                    throw new UsageException("--timeout takes a number of seconds from 1, not " + value);
                }
                return seconds;
            } catch (NumberFormatException e) {
                throw new UsageException("--timeout takes a whole number of seconds, not '" + value + "'");
            }
        }
    }
}
