package dev.spectra.local.dataapi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * An {@code UNLOAD} statement, parsed as Redshift's documentation gives its grammar:
 * <pre>
 * UNLOAD ('select-statement') TO 's3://bucket/prefix' IAM_ROLE 'arn:aws:iam::&lt;account&gt;:role/&lt;name&gt;'
 *     [FORMAT [AS] CSV | PARQUET] [HEADER] [GZIP] [MANIFEST [VERBOSE]] [MAXFILESIZE [AS] n [MB | GB]]
 *     [ALLOWOVERWRITE] [PARALLEL [ON | OFF | TRUE | FALSE]]
 * </pre>
 * Keywords in any case, options in any order, each at most once, and an optional {@code ;} at the end.
 * Literals are read as Redshift reads them ({@code standard_conforming_strings} off): {@code ''} is a quote and
 * a backslash takes the next character literally, {@code \b \f \n \r \t} being the control characters as in
 * PostgreSQL's escape strings. That undoes exactly what {@code UnloadQueryLiteral.quote} (in common) does,
 * which doubles quotes and backslashes.
 *
 * <p>Refusals use Redshift's words where we know them ({@code syntax error at or near}, the destination not
 * empty); the others are our best reading of what Redshift says, each starting {@code ERROR:} as its errors do.
 * Deviation: without FORMAT Redshift writes pipe-delimited text; the emulator supports CSV and PARQUET only.
 *
 * @param maxFileBytes the most bytes of one file: MAXFILESIZE, default 6.2 GB, at least 5 MB (Redshift's bounds)
 */
record UnloadCommand(String query, String bucket, String prefix, String iamRole, Format format, boolean header,
                     boolean gzip, boolean manifest, boolean verboseManifest, long maxFileBytes,
                     boolean allowOverwrite, boolean parallel) {

    enum Format { CSV, PARQUET }

    static final long MEGABYTE = 1024L * 1024;
    static final long MIN_FILE_BYTES = 5 * MEGABYTE;
    /** 6.2 GB, Redshift's default and largest MAXFILESIZE. */
    static final long MAX_FILE_BYTES = (long) (6.2 * 1024 * MEGABYTE);

    private static final Pattern IAM_ROLE = Pattern.compile("^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$");
    private static final Pattern S3_URL = Pattern.compile("^s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.*)$");

    UnloadCommand {
        requireNonNull(query, "query is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(iamRole, "iamRole is null");
        requireNonNull(format, "format is null");
    }

    /** Thrown for an UNLOAD Redshift would refuse; the message is the statement's Error. */
    static final class InvalidUnloadException extends Exception {
        InvalidUnloadException(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether the text's first word (past whitespace and comments) is UNLOAD. */
    static boolean isUnload(String sql) {
        return firstWord(sql, false).equalsIgnoreCase("UNLOAD");
    }

    /** Whether the query is one SELECT or WITH query (opening parentheses allowed), as UNLOAD's query must be. */
    static boolean isQuery(String query) {
        String word = firstWord(query, true);
        return word.equalsIgnoreCase("SELECT") || word.equalsIgnoreCase("WITH");
    }

    /** The first word past whitespace, comments and (when {@code skipParentheses}) opening parentheses. */
    private static String firstWord(String sql, boolean skipParentheses) {
        int index = 0;
        int length = sql.length();
        while (index < length) {
            char c = sql.charAt(index);
            if (Character.isWhitespace(c) || (skipParentheses && c == '(')) {
                index++;
            } else if (sql.startsWith("--", index)) {
                int end = sql.indexOf('\n', index);
                index = end < 0 ? length : end + 1;
            } else if (sql.startsWith("/*", index)) {
                int end = sql.indexOf("*/", index + 2);
                index = end < 0 ? length : end + 2;
            } else {
                break;
            }
        }
        int start = index;
        while (index < length && (Character.isLetter(sql.charAt(index)) || sql.charAt(index) == '_')) {
            index++;
        }
        return sql.substring(start, index);
    }

    static UnloadCommand parse(String sql) throws InvalidUnloadException {
        return new Parser(sql).parse();
    }

    /** The key of file {@code part} (0-based), as Redshift names it: one slice here, so slice 0000. */
    String fileKey(int part) {
        String name = parallel ? String.format(Locale.ROOT, "0000_part_%02d", part) : String.format(Locale.ROOT, "%03d", part);
        return prefix + name + (format == Format.PARQUET ? ".parquet" : "") + (gzip ? ".gz" : "");
    }

    String manifestKey() {
        return prefix + "manifest";
    }

    private enum TokenType { WORD, STRING, NUMBER, OPEN, CLOSE, SEMICOLON, OTHER, END }

    private record Token(TokenType type, String text, String raw) {
        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }
    }

    private static final class Parser {
        private final List<Token> tokens;
        private int next;

        Parser(String sql) throws InvalidUnloadException {
            this.tokens = tokenize(sql);
        }

        UnloadCommand parse() throws InvalidUnloadException {
            expectWord("UNLOAD");
            expect(TokenType.OPEN);
            String query = expect(TokenType.STRING).text();
            expect(TokenType.CLOSE);
            expectWord("TO");
            String url = expect(TokenType.STRING).text();
            var s3 = S3_URL.matcher(url);
            if (!s3.matches()) {
                throw new InvalidUnloadException("ERROR: Invalid S3 location: " + url + ". It must be s3://bucket/prefix.");
            }
            String iamRole = null;
            Format format = null;
            boolean header = false;
            boolean gzip = false;
            boolean manifest = false;
            boolean verbose = false;
            long maxFileBytes = MAX_FILE_BYTES;
            boolean allowOverwrite = false;
            boolean parallel = true;
            Set<String> seen = new HashSet<>();
            while (peek().type() != TokenType.END && peek().type() != TokenType.SEMICOLON) {
                Token option = take();
                if (option.type() != TokenType.WORD) {
                    throw syntaxError(option);
                }
                String name = option.upper();
                if (!seen.add(name)) {
                    throw new InvalidUnloadException("ERROR: conflicting or redundant options: " + name);
                }
                switch (name) {
                    case "IAM_ROLE" -> iamRole = expect(TokenType.STRING).text();
                    case "FORMAT" -> {
                        if (peek().type() == TokenType.WORD && peek().upper().equals("AS")) {
                            take();
                        }
                        Token kind = expect(TokenType.WORD);
                        format = switch (kind.upper()) {
                            case "CSV" -> Format.CSV;
                            case "PARQUET" -> Format.PARQUET;
                            case "JSON" -> throw new InvalidUnloadException(
                                    "ERROR: the Data API emulator's UNLOAD writes FORMAT CSV or PARQUET only");
                            default -> throw syntaxError(kind);
                        };
                    }
                    case "HEADER" -> header = true;
                    case "GZIP" -> gzip = true;
                    case "MANIFEST" -> {
                        manifest = true;
                        if (peek().type() == TokenType.WORD && peek().upper().equals("VERBOSE")) {
                            take();
                            verbose = true;
                        }
                    }
                    case "MAXFILESIZE" -> maxFileBytes = maxFileSize();
                    case "ALLOWOVERWRITE" -> allowOverwrite = true;
                    case "PARALLEL" -> {
                        if (peek().type() == TokenType.WORD && Set.of("ON", "OFF", "TRUE", "FALSE").contains(peek().upper())) {
                            String value = take().upper();
                            parallel = value.equals("ON") || value.equals("TRUE");
                        }
                    }
                    default -> throw syntaxError(option);
                }
            }
            if (peek().type() == TokenType.SEMICOLON) {
                take();
            }
            if (peek().type() != TokenType.END) {
                throw syntaxError(peek());
            }
            if (iamRole == null) {
                throw new InvalidUnloadException("ERROR: Invalid credentials. Must be of the format: credentials "
                        + "'aws_iam_role=...' or 'aws_access_key_id=...;aws_secret_access_key=...[;token=...]'");
            }
            if (!IAM_ROLE.matcher(iamRole).matches()) {
                throw new InvalidUnloadException("ERROR: IAM_ROLE must be an IAM role ARN, such as "
                        + "arn:aws:iam::123456789012:role/MyRedshiftRole: " + iamRole);
            }
            if (format == null) {
                throw new InvalidUnloadException("ERROR: the Data API emulator's UNLOAD writes FORMAT CSV or PARQUET "
                        + "only; Redshift's default, pipe-delimited text, is not emulated");
            }
            if (format == Format.PARQUET && gzip) {
                throw new InvalidUnloadException("ERROR: GZIP is not supported with the PARQUET format: Parquet "
                        + "compresses its own columns.");
            }
            if (format == Format.PARQUET && header) {
                throw new InvalidUnloadException("ERROR: HEADER is not supported with the PARQUET format.");
            }
            return new UnloadCommand(query, s3.group(1), s3.group(2), iamRole, format, header, gzip, manifest, verbose,
                    maxFileBytes, allowOverwrite, parallel);
        }

        private long maxFileSize() throws InvalidUnloadException {
            if (peek().type() == TokenType.WORD && peek().upper().equals("AS")) {
                take();
            }
            Token number = expect(TokenType.NUMBER);
            double amount;
            try {
                amount = Double.parseDouble(number.text());
            } catch (NumberFormatException e) {
                throw syntaxError(number);
            }
            double unit = MEGABYTE;
            if (peek().type() == TokenType.WORD && (peek().upper().equals("MB") || peek().upper().equals("GB"))) {
                unit = take().upper().equals("GB") ? 1024.0 * MEGABYTE : MEGABYTE;
            }
            long bytes = (long) (amount * unit);
            if (bytes < MIN_FILE_BYTES || bytes > MAX_FILE_BYTES) {
                throw new InvalidUnloadException("ERROR: MAXFILESIZE must be between 5 MB and 6.2 GB, was "
                        + number.text() + ".");
            }
            return bytes;
        }

        private Token peek() {
            return tokens.get(next);
        }

        private Token take() {
            Token token = tokens.get(next);
            if (token.type() != TokenType.END) {
                next++;
            }
            return token;
        }

        private Token expect(TokenType type) throws InvalidUnloadException {
            Token token = take();
            if (token.type() != type) {
                throw syntaxError(token);
            }
            return token;
        }

        private void expectWord(String word) throws InvalidUnloadException {
            Token token = take();
            if (token.type() != TokenType.WORD || !token.upper().equals(word)) {
                throw syntaxError(token);
            }
        }

        private static InvalidUnloadException syntaxError(Token token) {
            return new InvalidUnloadException(token.type() == TokenType.END
                    ? "ERROR: syntax error at end of input"
                    : "ERROR: syntax error at or near \"" + token.raw() + "\"");
        }

        private static List<Token> tokenize(String sql) throws InvalidUnloadException {
            List<Token> tokens = new ArrayList<>();
            int index = 0;
            int length = sql.length();
            while (index < length) {
                char c = sql.charAt(index);
                if (Character.isWhitespace(c)) {
                    index++;
                } else if (c == '-' && index + 1 < length && sql.charAt(index + 1) == '-') {
                    while (index < length && sql.charAt(index) != '\n') {
                        index++;
                    }
                } else if (c == '/' && index + 1 < length && sql.charAt(index + 1) == '*') {
                    int end = sql.indexOf("*/", index + 2);
                    if (end < 0) {
                        throw new InvalidUnloadException("ERROR: unterminated /* comment");
                    }
                    index = end + 2;
                } else if (c == '\'') {
                    int start = index;
                    StringBuilder text = new StringBuilder();
                    index++;
                    while (true) {
                        if (index >= length) {
                            throw new InvalidUnloadException("ERROR: unterminated quoted string at or near \""
                                    + sql.substring(start, Math.min(length, start + 40)) + "\"");
                        }
                        char inside = sql.charAt(index);
                        if (inside == '\'') {
                            if (index + 1 < length && sql.charAt(index + 1) == '\'') {
                                text.append('\'');
                                index += 2;
                                continue;
                            }
                            index++;
                            break;
                        }
                        if (inside == '\\' && index + 1 < length) {
                            text.append(unescape(sql.charAt(index + 1)));
                            index += 2;
                            continue;
                        }
                        text.append(inside);
                        index++;
                    }
                    tokens.add(new Token(TokenType.STRING, text.toString(), sql.substring(start, index)));
                } else if (Character.isLetter(c) || c == '_') {
                    int start = index;
                    while (index < length && (Character.isLetterOrDigit(sql.charAt(index)) || sql.charAt(index) == '_')) {
                        index++;
                    }
                    String word = sql.substring(start, index);
                    tokens.add(new Token(TokenType.WORD, word, word));
                } else if (Character.isDigit(c) || c == '.') {
                    int start = index;
                    while (index < length && (Character.isDigit(sql.charAt(index)) || sql.charAt(index) == '.')) {
                        index++;
                    }
                    String number = sql.substring(start, index);
                    tokens.add(new Token(TokenType.NUMBER, number, number));
                } else {
                    TokenType type = switch (c) {
                        case '(' -> TokenType.OPEN;
                        case ')' -> TokenType.CLOSE;
                        case ';' -> TokenType.SEMICOLON;
                        default -> TokenType.OTHER;
                    };
                    tokens.add(new Token(type, String.valueOf(c), String.valueOf(c)));
                    index++;
                }
            }
            tokens.add(new Token(TokenType.END, "", ""));
            return tokens;
        }

        private static char unescape(char escaped) {
            return switch (escaped) {
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                default -> escaped;
            };
        }
    }
}
