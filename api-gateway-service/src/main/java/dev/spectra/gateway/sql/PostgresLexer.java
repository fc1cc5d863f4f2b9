package dev.spectra.gateway.sql;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * PostgreSQL's own lexer ({@code src/backend/parser/scan.l} of PostgreSQL 17, with the UESCAPE
 * look-ahead of {@code parser.c}), rewritten for the SQL guard: it splits a text into the tokens the
 * warehouse will see, with every literal and quoted identifier decoded.
 *
 * <p>Why a lexer of our own: JSqlParser and PostgreSQL disagree on lexical corners (a {@code --}
 * comment ended by a carriage return, nested block comments, escape strings, dollar quotes, Unicode
 * escapes), and every such disagreement lets a text mean one thing to the guard and another to the
 * warehouse. So the guard never judges the tenant's text. It lexes it here, judges the tokens, and hands
 * JSqlParser and then the warehouse the same {@link #canonical canonical text}: comments dropped, every
 * string a plain {@code '...'} literal and every identifier plain or {@code "..."}, forms on which any
 * SQL lexer agrees. What the guard judged is then, byte for byte, what runs.
 *
 * <p>{@code standardConformingStrings} must match the warehouse: on for PostgreSQL (its default), off for
 * Redshift, where a backslash inside {@code '...'} escapes the next character.
 */
final class PostgresLexer {

    enum Kind { IDENTIFIER, QUOTED_IDENTIFIER, STRING, BIT_STRING, NUMBER, PARAMETER, OPERATOR, PUNCTUATION }

    /**
     * One token. {@code value} is what the token means: an unquoted identifier folded to lower case as
     * PostgreSQL folds it (ASCII letters only), a quoted identifier or a string decoded.
     * {@code canonical} is how the guard writes it again; {@code spaced} says whether whitespace or a
     * comment stood before it in the tenant's text.
     */
    record Token(Kind kind, String value, String canonical, boolean rewritten, boolean spaced, int position) {

        Token {
            requireNonNull(kind, "kind is null");
            requireNonNull(value, "value is null");
            requireNonNull(canonical, "canonical is null");
        }

        /** The name to compare with lists of names: the value in lower case (see {@link TokenInspector}). */
        String name() {
            return value.toLowerCase(Locale.ROOT);
        }

        boolean isIdentifier() {
            return kind == Kind.IDENTIFIER || kind == Kind.QUOTED_IDENTIFIER;
        }

        boolean is(String punctuationOrOperator) {
            return (kind == Kind.PUNCTUATION || kind == Kind.OPERATOR) && value.equals(punctuationOrOperator);
        }

        /** An unquoted identifier spelled {@code keyword} (any case); a quoted one is never a keyword. */
        boolean isKeyword(String keyword) {
            return kind == Kind.IDENTIFIER && value.equals(keyword);
        }
    }

    /** The text is not valid SQL to PostgreSQL's lexer; the warehouse would refuse it too. */
    static final class LexException extends Exception {
        private final int position;

        LexException(String message, int position) {
            super(message, null, false, false);
            this.position = position;
        }

        /** Zero-based offset in the text where the problem starts. */
        int position() {
            return position;
        }
    }

    private static final String SELF_CHARACTERS = ",()[].;:+-*/%^<>=";
    private static final String OPERATOR_CHARACTERS = "~!@#^&|`?+-*/%<>=";
    private static final String NON_SQL_OPERATOR_CHARACTERS = "~!@#^&|`?%";

    private final String sql;
    private final boolean standardConformingStrings;
    private final List<Token> tokens = new ArrayList<>();
    private int position;
    private boolean spaced;

    private PostgresLexer(String sql, boolean standardConformingStrings) {
        this.sql = sql;
        this.standardConformingStrings = standardConformingStrings;
    }

    /** Every token of {@code sql}, comments and whitespace left out. */
    static List<Token> tokenize(String sql, boolean standardConformingStrings) throws LexException {
        requireWellFormed(sql);
        PostgresLexer lexer = new PostgresLexer(requireNonNull(sql, "sql is null"), standardConformingStrings);
        lexer.run();
        return List.copyOf(lexer.tokens);
    }

    /**
     * PostgreSQL reads a statement as a NUL-terminated string, so a NUL would end the text early; and a
     * lone surrogate would turn into a {@code ?} on its way to the warehouse. Both are refused.
     */
    private static void requireWellFormed(String sql) throws LexException {
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\0') {
                throw new LexException("invalid byte sequence for encoding \"UTF8\": 0x00", i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < sql.length() && Character.isLowSurrogate(sql.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new LexException("invalid byte sequence for encoding \"UTF8\"", i);
            }
        }
    }

    /**
     * The tokens written again: a single space where the text had whitespace or a comment, and around
     * every token whose spelling changed, so that no two tokens can run into one another; elsewhere they
     * stay adjacent, as in the text ({@code :name} placeholders keep their colon).
     */
    static String canonical(List<Token> tokens) {
        StringBuilder text = new StringBuilder();
        Token previous = null;
        for (Token token : tokens) {
            if (previous != null && (token.spaced() || token.rewritten() || previous.rewritten())) {
                text.append(' ');
            }
            text.append(token.canonical());
            previous = token;
        }
        return text.toString();
    }

    private void run() throws LexException {
        while (position < sql.length()) {
            if (skipWhitespaceOrComment()) {
                spaced = true;
                continue;
            }
            int start = position;
            Token token = next(start);
            tokens.add(token);
            spaced = false;
        }
    }

    /** Skips one run of whitespace or one comment; false when the next character starts a token. */
    private boolean skipWhitespaceOrComment() throws LexException {
        char c = sql.charAt(position);
        if (isSpace(c)) {
            position++;
            return true;
        }
        if (sql.startsWith("--", position)) {
            while (position < sql.length() && !isNewline(sql.charAt(position))) {
                position++;
            }
            return true;
        }
        if (sql.startsWith("/*", position)) {
            skipBlockComment();
            return true;
        }
        return false;
    }

    private void skipBlockComment() throws LexException {
        int start = position;
        int depth = 0;
        while (position < sql.length()) {
            if (sql.startsWith("/*", position)) {
                depth++;
                position += 2;
            } else if (sql.startsWith("*/", position)) {
                depth--;
                position += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                position++;
            }
        }
        throw new LexException("unterminated /* comment", start);
    }

    private Token next(int start) throws LexException {
        char c = sql.charAt(position);
        char next = charAt(position + 1);
        char third = charAt(position + 2);
        if ((c == 'b' || c == 'B' || c == 'x' || c == 'X') && next == '\'') {
            position++;
            StringBuilder content = new StringBuilder(quoted('\''));
            boolean continued = false;
            while (continuesOnNextLine()) {
                content.append(quoted('\''));
                continued = true;
            }
            String bits = c + "'" + content + "'";
            return token(Kind.BIT_STRING, bits, bits, continued, start);
        }
        if ((c == 'e' || c == 'E') && next == '\'') {
            position++;
            return string(start, true, sql.substring(start, start + 1));
        }
        if ((c == 'n' || c == 'N') && next == '\'') {
            // PostgreSQL reads N'...' as a plain string preceded by the keyword NCHAR
            position++;
            return string(start, !standardConformingStrings, "N");
        }
        if ((c == 'u' || c == 'U') && next == '&' && (third == '\'' || third == '"')) {
            return unicodeEscaped(start, third);
        }
        if (c == '\'') {
            return string(start, !standardConformingStrings, "");
        }
        if (c == '"') {
            String name = quoted('"');
            if (name.isEmpty()) {
                throw new LexException("zero-length delimited identifier", start);
            }
            return token(Kind.QUOTED_IDENTIFIER, name, quoteIdentifier(name), false, start);
        }
        if (c == '$') {
            return dollar(start);
        }
        if (isDigit(c) || (c == '.' && isDigit(next))) {
            return number(start);
        }
        if (isIdentifierStart(c)) {
            while (position < sql.length() && isIdentifierPart(sql.charAt(position))) {
                position++;
            }
            String word = sql.substring(start, position);
            return token(Kind.IDENTIFIER, foldAsciiCase(word), word, false, start);
        }
        if (c == ':' && next == ':') {
            return punctuation(start, 2);
        }
        if ((c == '.' && next == '.') || (c == ':' && next == '=')) {
            return punctuation(start, 2);
        }
        if (isOperatorCharacter(c)) {
            return operator(start);
        }
        if (SELF_CHARACTERS.indexOf(c) >= 0) {
            return punctuation(start, 1);
        }
        throw new LexException("syntax error at or near \"" + c + "\"", start);
    }

    private Token punctuation(int start, int length) {
        position += length;
        String text = sql.substring(start, position);
        return token(Kind.PUNCTUATION, text, text, false, start);
    }

    /** scan.l's {operator} rule: stops before a comment start; trailing + and - belong to the next token. */
    private Token operator(int start) {
        int end = start;
        while (end < sql.length() && isOperatorCharacter(sql.charAt(end))) {
            end++;
        }
        String run = sql.substring(start, end);
        int length = run.length();
        int commentStart = firstNonNegativeMinimum(run.indexOf("/*"), run.indexOf("--"));
        if (commentStart >= 0) {
            length = commentStart;
        }
        if (length > 1 && (run.charAt(length - 1) == '+' || run.charAt(length - 1) == '-')) {
            boolean hasNonSqlCharacter = false;
            for (int i = length - 2; i >= 0; i--) {
                if (NON_SQL_OPERATOR_CHARACTERS.indexOf(run.charAt(i)) >= 0) {
                    hasNonSqlCharacter = true;
                    break;
                }
            }
            if (!hasNonSqlCharacter) {
                do {
                    length--;
                } while (length > 1 && (run.charAt(length - 1) == '+' || run.charAt(length - 1) == '-'));
            }
        }
        position = start + length;
        String text = run.substring(0, length);
        return token(length == 1 && SELF_CHARACTERS.indexOf(text.charAt(0)) >= 0 ? Kind.PUNCTUATION : Kind.OPERATOR,
                text, text, false, start);
    }

    private Token number(int start) throws LexException {
        char c = sql.charAt(position);
        char prefix = Character.toLowerCase(charAt(position + 1));
        if (c == '0' && (prefix == 'x' || prefix == 'o' || prefix == 'b')) {
            position += 2;
            int digits = skipDigits(prefix == 'x' ? 16 : prefix == 'o' ? 8 : 2);
            if (digits == 0) {
                throw new LexException("trailing junk after numeric literal", start);
            }
        } else {
            skipDigits(10);
            if (charAt(position) == '.' && charAt(position + 1) != '.') {
                position++;
                skipDigits(10);
            }
            char e = charAt(position);
            if (e == 'e' || e == 'E') {
                int mark = position;
                position++;
                if (charAt(position) == '+' || charAt(position) == '-') {
                    position++;
                    if (!isDigit(charAt(position))) {
                        throw new LexException("trailing junk after numeric literal", start);
                    }
                }
                if (isDigit(charAt(position))) {
                    skipDigits(10);
                } else {
                    position = mark;
                }
            }
        }
        if (position < sql.length() && isIdentifierStart(sql.charAt(position))) {
            throw new LexException("trailing junk after numeric literal", start);
        }
        String text = sql.substring(start, position);
        return token(Kind.NUMBER, text, text, false, start);
    }

    /** Digits of the radix with PostgreSQL 16's single underscores between them; returns how many digits. */
    private int skipDigits(int radix) {
        int digits = 0;
        while (position < sql.length()) {
            char c = sql.charAt(position);
            if (Character.digit(c, radix) >= 0 && c < 0x80) {
                digits++;
                position++;
            } else if (c == '_' && digits > 0 && Character.digit(charAt(position + 1), radix) >= 0 && charAt(position + 1) < 0x80) {
                position++;
            } else {
                break;
            }
        }
        return digits;
    }

    /** {@code $1} is a parameter; {@code $tag$...$tag$} and {@code $$...$$} are strings. */
    private Token dollar(int start) throws LexException {
        if (isDigit(charAt(position + 1))) {
            position++;
            skipDigits(10);
            if (position < sql.length() && isIdentifierStart(sql.charAt(position))) {
                throw new LexException("trailing junk after parameter", start);
            }
            String text = sql.substring(start, position);
            return token(Kind.PARAMETER, text, text, false, start);
        }
        int tagEnd = position + 1;
        if (tagEnd < sql.length() && isDollarTagStart(sql.charAt(tagEnd))) {
            tagEnd++;
            while (tagEnd < sql.length() && isDollarTagPart(sql.charAt(tagEnd))) {
                tagEnd++;
            }
        }
        if (charAt(tagEnd) != '$') {
            throw new LexException("syntax error at or near \"$\"", start);
        }
        String delimiter = sql.substring(position, tagEnd + 1);
        int contentStart = tagEnd + 1;
        int close = sql.indexOf(delimiter, contentStart);
        if (close < 0) {
            throw new LexException("unterminated dollar-quoted string", start);
        }
        String content = sql.substring(contentStart, close);
        position = close + delimiter.length();
        return stringToken(content, true, start);
    }

    /** A string from its opening quote on, with PostgreSQL's continuation of strings across newlines. */
    private Token string(int start, boolean backslashEscapes, String prefix) throws LexException {
        boolean continued = false;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            int quote = position;
            if (backslashEscapes) {
                escapedContent(bytes, quote);
            } else {
                bytes.writeBytes(quoted('\'').getBytes(StandardCharsets.UTF_8));
            }
            if (!continuesOnNextLine()) {
                break;
            }
            continued = true;
        }
        String value = utf8(bytes, start);
        boolean rewritten = continued || !prefix.isEmpty() || backslashEscapes;
        return stringToken(value, rewritten, start);
    }

    private Token stringToken(String value, boolean rewritten, int start) {
        return token(Kind.STRING, value, quoteString(value), rewritten, start);
    }

    /**
     * After a closing quote: spaces, tabs and {@code --} comments, a newline, any whitespace, then a
     * quote continue the string ({@code quotecontinue} in scan.l). Block comments break it.
     */
    private boolean continuesOnNextLine() {
        int cursor = position;
        boolean newline = false;
        while (cursor < sql.length()) {
            char c = sql.charAt(cursor);
            if (isNewline(c)) {
                newline = true;
                cursor++;
            } else if (isSpace(c)) {
                cursor++;
            } else if (sql.startsWith("--", cursor)) {
                while (cursor < sql.length() && !isNewline(sql.charAt(cursor))) {
                    cursor++;
                }
                if (cursor >= sql.length()) {
                    return false;
                }
            } else {
                break;
            }
        }
        if (newline && charAt(cursor) == '\'') {
            position = cursor;
            return true;
        }
        return false;
    }

    /** Reads {@code 'content'} with {@code quote} doubled inside; the position ends after the closing quote. */
    private String quoted(char quote) throws LexException {
        int start = position;
        position++;
        StringBuilder content = new StringBuilder();
        while (position < sql.length()) {
            char c = sql.charAt(position);
            if (c == quote) {
                if (charAt(position + 1) == quote) {
                    content.append(quote);
                    position += 2;
                    continue;
                }
                position++;
                return content.toString();
            }
            content.append(c);
            position++;
        }
        throw new LexException(quote == '"' ? "unterminated quoted identifier" : "unterminated quoted string", start);
    }

    /** An escape string's content ({@code E'...'}): backslash escapes as PostgreSQL decodes them, as bytes. */
    private void escapedContent(ByteArrayOutputStream bytes, int start) throws LexException {
        position++;
        while (position < sql.length()) {
            char c = sql.charAt(position);
            if (c == '\'') {
                if (charAt(position + 1) == '\'') {
                    bytes.write('\'');
                    position += 2;
                    continue;
                }
                position++;
                return;
            }
            if (c != '\\') {
                int codePoint = sql.codePointAt(position);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                position += Character.charCount(codePoint);
                continue;
            }
            if (position + 1 >= sql.length()) {
                break;
            }
            char escaped = sql.charAt(position + 1);
            position += 2;
            switch (escaped) {
                case 'b' -> bytes.write('\b');
                case 'f' -> bytes.write('\f');
                case 'n' -> bytes.write('\n');
                case 'r' -> bytes.write('\r');
                case 't' -> bytes.write('\t');
                case 'x' -> {
                    int value = readDigits(16, 2);
                    if (value < 0) {
                        bytes.write('x');
                    } else {
                        bytes.write(value);
                    }
                }
                case 'u', 'U' -> {
                    int codePoint = readUnicodeEscape(escaped == 'u' ? 4 : 8, start);
                    if (Character.isHighSurrogate((char) codePoint) && codePoint <= 0xFFFF) {
                        if (!sql.startsWith("\\u", position)) {
                            throw new LexException("invalid Unicode surrogate pair", start);
                        }
                        position += 2;
                        int low = readUnicodeEscape(4, start);
                        if (!Character.isLowSurrogate((char) low)) {
                            throw new LexException("invalid Unicode surrogate pair", start);
                        }
                        codePoint = Character.toCodePoint((char) codePoint, (char) low);
                    } else if (codePoint <= 0xFFFF && Character.isSurrogate((char) codePoint)) {
                        throw new LexException("invalid Unicode surrogate pair", start);
                    }
                    writeCodePoint(bytes, codePoint, start);
                }
                default -> {
                    if (escaped >= '0' && escaped <= '7') {
                        position--;
                        bytes.write(readDigits(8, 3) & 0xFF);
                    } else {
                        int codePoint = sql.codePointAt(position - 1);
                        bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                        position += Character.charCount(codePoint) - 1;
                    }
                }
            }
        }
        throw new LexException("unterminated quoted string", start);
    }

    private int readDigits(int radix, int maxDigits) {
        int value = 0;
        int digits = 0;
        while (digits < maxDigits && position < sql.length() && sql.charAt(position) < 0x80
                && Character.digit(sql.charAt(position), radix) >= 0) {
            value = value * radix + Character.digit(sql.charAt(position), radix);
            position++;
            digits++;
        }
        return digits == 0 ? -1 : value;
    }

    private int readUnicodeEscape(int digits, int start) throws LexException {
        int value = 0;
        for (int i = 0; i < digits; i++) {
            char c = charAt(position);
            int digit = c < 0x80 ? Character.digit(c, 16) : -1;
            if (digit < 0) {
                throw new LexException("invalid Unicode escape", start);
            }
            value = value * 16 + digit;
            position++;
        }
        if (value < 0 || value > Character.MAX_CODE_POINT) {
            throw new LexException("invalid Unicode escape value", start);
        }
        return value;
    }

    /** {@code U&'...'} or {@code U&"..."}, with an optional {@code UESCAPE 'c'} after it. */
    private Token unicodeEscaped(int start, char quote) throws LexException {
        if (quote == '\'' && !standardConformingStrings) {
            throw new LexException("unsafe use of string constant with Unicode escapes", start);
        }
        position += 2;
        String raw;
        boolean continued = false;
        if (quote == '\'') {
            StringBuilder content = new StringBuilder(quoted('\''));
            while (continuesOnNextLine()) {
                content.append(quoted('\''));
                continued = true;
            }
            raw = content.toString();
        } else {
            raw = quoted('"');
        }
        char escape = '\\';
        int afterLiteral = position;
        Token uescape = peekToken();
        if (uescape != null && uescape.isKeyword("uescape")) {
            Token character = peekToken();
            if (character == null || character.kind() != Kind.STRING) {
                throw new LexException("UESCAPE must be followed by a simple string literal", afterLiteral);
            }
            if (character.value().length() != 1 || "0123456789abcdefABCDEF+'\" \t\n\r\f".indexOf(character.value().charAt(0)) >= 0) {
                throw new LexException("invalid Unicode escape character", afterLiteral);
            }
            escape = character.value().charAt(0);
        } else {
            position = afterLiteral;
        }
        String value = decodeUnicodeEscapes(raw, escape, start);
        if (quote == '"') {
            if (value.isEmpty()) {
                throw new LexException("zero-length delimited identifier", start);
            }
            return token(Kind.QUOTED_IDENTIFIER, value, quoteIdentifier(value), true, start);
        }
        return token(Kind.STRING, value, quoteString(value), true, start);
    }

    /** The next token after whitespace and comments, consumed; null at the end of the text. */
    private Token peekToken() throws LexException {
        while (position < sql.length() && skipWhitespaceOrComment()) {
            // skipped
        }
        if (position >= sql.length()) {
            return null;
        }
        return next(position);
    }

    private String decodeUnicodeEscapes(String raw, char escape, int start) throws LexException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c != escape) {
                int codePoint = raw.codePointAt(i);
                writeCodePoint(bytes, codePoint, start);
                i += Character.charCount(codePoint);
                continue;
            }
            if (i + 1 < raw.length() && raw.charAt(i + 1) == escape) {
                bytes.write(escape);
                i += 2;
                continue;
            }
            int digits = i + 1 < raw.length() && raw.charAt(i + 1) == '+' ? 6 : 4;
            int from = i + (digits == 6 ? 2 : 1);
            if (from + digits > raw.length()) {
                throw new LexException("invalid Unicode escape", start);
            }
            int codePoint = 0;
            for (int d = from; d < from + digits; d++) {
                int digit = raw.charAt(d) < 0x80 ? Character.digit(raw.charAt(d), 16) : -1;
                if (digit < 0) {
                    throw new LexException("invalid Unicode escape", start);
                }
                codePoint = codePoint * 16 + digit;
            }
            i = from + digits;
            if (codePoint <= 0xFFFF && Character.isHighSurrogate((char) codePoint)) {
                int lowFrom = i + 1;
                if (i >= raw.length() || raw.charAt(i) != escape || lowFrom + 4 > raw.length()) {
                    throw new LexException("invalid Unicode surrogate pair", start);
                }
                int low = Integer.parseInt(raw, lowFrom, lowFrom + 4, 16);
                if (!Character.isLowSurrogate((char) low)) {
                    throw new LexException("invalid Unicode surrogate pair", start);
                }
                codePoint = Character.toCodePoint((char) codePoint, (char) low);
                i = lowFrom + 4;
            } else if (codePoint <= 0xFFFF && Character.isSurrogate((char) codePoint)) {
                throw new LexException("invalid Unicode surrogate pair", start);
            }
            writeCodePoint(bytes, codePoint, start);
        }
        return utf8(bytes, start);
    }

    private static void writeCodePoint(ByteArrayOutputStream bytes, int codePoint, int start) throws LexException {
        if (codePoint == 0 || codePoint > Character.MAX_CODE_POINT) {
            throw new LexException("invalid Unicode escape value", start);
        }
        bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
    }

    /** Strict UTF-8, as a UTF8 database checks every literal; NUL is refused as PostgreSQL refuses it. */
    private static String utf8(ByteArrayOutputStream bytes, int start) throws LexException {
        try {
            String value = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
            if (value.indexOf('\0') >= 0) {
                throw new LexException("invalid byte sequence for encoding \"UTF8\": 0x00", start);
            }
            return value;
        } catch (CharacterCodingException e) {
            throw new LexException("invalid byte sequence for encoding \"UTF8\"", start);
        }
    }

    private Token token(Kind kind, String value, String canonical, boolean rewritten, int start) {
        return new Token(kind, value, canonical, rewritten, spaced, start);
    }

    private String quoteString(String value) {
        String escaped = value.replace("'", "''");
        if (!standardConformingStrings) {
            escaped = escaped.replace("\\", "\\\\");
        }
        return "'" + escaped + "'";
    }

    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** PostgreSQL folds unquoted identifiers to lower case in ASCII only ({@code downcase_identifier}). */
    static String foldAsciiCase(String word) {
        StringBuilder folded = null;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (folded == null) {
                    folded = new StringBuilder(word);
                }
                folded.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return folded == null ? word : folded.toString();
    }

    private char charAt(int index) {
        return index < sql.length() ? sql.charAt(index) : '\0';
    }

    private static int firstNonNegativeMinimum(int a, int b) {
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }

    /** scan.l's {space}: space, tab, newline, carriage return, form feed, vertical tab. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isNewline(char c) {
        return c == '\n' || c == '\r';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** scan.l's ident_start: ASCII letters, underscore and every byte of a multi-byte character. */
    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isDollarTagStart(char c) {
        return isIdentifierStart(c);
    }

    private static boolean isDollarTagPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }

    private static boolean isOperatorCharacter(char c) {
        return OPERATOR_CHARACTERS.indexOf(c) >= 0;
    }
}
