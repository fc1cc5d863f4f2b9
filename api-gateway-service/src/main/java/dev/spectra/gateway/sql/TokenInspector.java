package dev.spectra.gateway.sql;

import dev.spectra.gateway.sql.PostgresLexer.Kind;
import dev.spectra.gateway.sql.PostgresLexer.Token;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.spectra.common.error.ErrorCode.SQL_FORBIDDEN_FUNCTION;
import static dev.spectra.common.error.ErrorCode.SQL_FORBIDDEN_OBJECT;
import static dev.spectra.common.error.ErrorCode.SQL_INVALID;

/**
 * Checks on the token stream itself, which is exactly what the warehouse will read, so that no
 * disagreement between JSqlParser's grammar and the warehouse's can hide a function call, a catalog or a
 * cast from the guard:
 * <ul>
 *   <li>{@link #systemNames}: no identifier anywhere names a catalog ({@code pg_*},
 *       {@code information_schema}) or an object-identifier type ({@code regrole}, {@code regclass}, ...),
 *       however it is spelled;</li>
 *   <li>{@link #types}: a cast ({@code ::type}) or a typed literal ({@code type 'text'}) names an allowed
 *       type;</li>
 *   <li>{@link #functionCalls}: every word followed by {@code (} is an allowed function, a type with
 *       modifiers, a construct of the grammar, or a name the query itself declared (a CTE or an alias
 *       with a column list).</li>
 * </ul>
 * Names are compared in lower case, quoted or not: Redshift folds quoted identifiers to lower case by
 * default, and every name on these lists is lower case, so a quoted upper-case spelling cannot reach
 * anything else in PostgreSQL either.
 */
final class TokenInspector {

    /** The object-identifier types: their input and output functions look names up in the catalogs. */
    static final Set<String> OBJECT_IDENTIFIER_TYPES = Set.of(
            "regclass", "regcollation", "regconfig", "regdictionary", "regnamespace", "regoper", "regoperator",
            "regproc", "regprocedure", "regrole", "regtype", "aclitem");

    /** Unreserved words that take a string operand without being a type: {@code ESCAPE '!'}, {@code AT TIME ZONE 'UTC'}. */
    private static final Set<String> WORDS_BEFORE_A_STRING = Set.of("by", "escape", "zone", "path");

    /** Column-name keywords that the grammar follows with a parenthesis as a construct of its own. */
    private static final Set<String> GRAMMAR_CONSTRUCTS = Set.of(
            "between", "coalesce", "exists", "extract", "greatest", "grouping", "least", "nullif", "overlay",
            "position", "row", "substring", "trim", "values");

    /** Unreserved words the grammar follows with a parenthesis: clauses, not calls. */
    private static final Set<String> CLAUSES_BEFORE_A_PARENTHESIS = Set.of(
            "filter", "over", "rollup", "cube", "sets", "materialized", "within");

    /** Words that are calls although the grammar reserves them for names of types and functions. */
    private static final Set<String> CALLABLE_TYPE_FUNCTION_NAMES = Set.of("left", "right", "current_schema", "collation");

    private static final Set<String> TABLESAMPLE_METHODS = Set.of("bernoulli", "system");

    private TokenInspector() {}

    /** No identifier names a catalog or an object-identifier type, in any spelling. */
    static Optional<SqlRejection> systemNames(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.isIdentifier()) {
                Optional<SqlRejection> rejection = forbiddenIdentifier(token, i + 1 < tokens.size() && tokens.get(i + 1).is("("));
                if (rejection.isPresent()) {
                    return rejection;
                }
            }
        }
        return Optional.empty();
    }

    /** Every cast ({@code ::type}) and typed literal ({@code type 'text'}) names an allowed type. */
    static Optional<SqlRejection> types(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            Optional<SqlRejection> rejection = Optional.empty();
            if (token.is("::")) {
                rejection = castTarget(tokens, i + 1);
            } else if (token.kind() == Kind.STRING && i > 0) {
                rejection = typedLiteral(tokens, i);
            }
            if (rejection.isPresent()) {
                return rejection;
            }
        }
        return Optional.empty();
    }

    private static Optional<SqlRejection> forbiddenIdentifier(Token token, boolean called) {
        String name = token.name();
        if (name.startsWith("pg_") || name.equals("information_schema")) {
            return Optional.of(called ? forbiddenFunction(name) : systemObject(name));
        }
        if (OBJECT_IDENTIFIER_TYPES.contains(name)) {
            return Optional.of(new SqlRejection(SQL_FORBIDDEN_OBJECT,
                    "The type " + name + " looks objects up in the system catalogs and cannot be used."));
        }
        return Optional.empty();
    }

    private static Optional<SqlRejection> castTarget(List<Token> tokens, int typeIndex) {
        if (typeIndex >= tokens.size() || !tokens.get(typeIndex).isIdentifier()) {
            return Optional.empty();
        }
        return requireAllowedType(tokens.get(typeIndex).name());
    }

    /**
     * {@code type 'text'} and {@code type(modifiers) 'text'} are typed literals: the type's input function
     * reads the text. A string after any other word is an operand ({@code LIKE 'a%'}, {@code ESCAPE '!'}).
     */
    private static Optional<SqlRejection> typedLiteral(List<Token> tokens, int stringIndex) {
        Token before = tokens.get(stringIndex - 1);
        if (before.is(")")) {
            int open = matchingOpen(tokens, stringIndex - 1);
            if (open > 0 && tokens.get(open - 1).isIdentifier()) {
                return requireAllowedType(tokens.get(open - 1).name());
            }
            return Optional.of(new SqlRejection(SQL_INVALID, "A string cannot follow a closing parenthesis here."));
        }
        if (before.kind() == Kind.QUOTED_IDENTIFIER) {
            return requireAllowedType(before.name());
        }
        if (before.kind() != Kind.IDENTIFIER) {
            return Optional.empty();
        }
        String word = before.name();
        if (PostgresKeywords.RESERVED.contains(word) || PostgresKeywords.TYPE_FUNCTION_NAME.contains(word)
                || PostgresKeywords.COLUMN_NAME.contains(word) || WORDS_BEFORE_A_STRING.contains(word)) {
            return Optional.empty();
        }
        return requireAllowedType(word);
    }

    private static int matchingOpen(List<Token> tokens, int closeIndex) {
        int depth = 0;
        for (int i = closeIndex; i >= 0; i--) {
            if (tokens.get(i).is(")")) {
                depth++;
            } else if (tokens.get(i).is("(") && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static Optional<SqlRejection> requireAllowedType(String type) {
        if (SqlAllowList.TYPES.contains(type)) {
            return Optional.empty();
        }
        return Optional.of(new SqlRejection(SQL_FORBIDDEN_OBJECT,
                "The type " + type + " cannot be used in a cast or a typed literal; allowed types are the plain data types."));
    }

    /**
     * Every {@code word (} in the statement is a call of an allowed function, a type with modifiers, a
     * construct of the grammar, or the declaration of a column list: a CTE ({@code WITH n(i) AS (...)}) or
     * an alias ({@code AS t(a, b)}, {@code FROM f(x) t(a)}, {@code FROM sales s(a, b)}). In PostgreSQL's
     * grammar a word after {@code AS}, after a closing parenthesis or after a plain name can only be
     * such a declaration, never a call.
     */
    static Optional<SqlRejection> functionCalls(List<Token> tokens) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token word = tokens.get(i);
            if (!word.isIdentifier() || !tokens.get(i + 1).is("(")) {
                continue;
            }
            Token before = i > 0 ? tokens.get(i - 1) : null;
            if (before != null && before.is(".")) {
                return Optional.of(new SqlRejection(SQL_FORBIDDEN_FUNCTION,
                        "Functions are called by their plain name; a schema-qualified function (" + qualifiedName(tokens, i)
                                + ") is not accepted."));
            }
            if (!isAllowedCall(word, before) && !declaresColumns(tokens, i)) {
                return Optional.of(forbiddenFunction(word.name()));
            }
        }
        return Optional.empty();
    }

    private static boolean isAllowedCall(Token word, Token before) {
        String name = word.name();
        if (word.kind() == Kind.IDENTIFIER) {
            if (PostgresKeywords.RESERVED.contains(name)
                    || PostgresKeywords.TYPE_FUNCTION_NAME.contains(name) && !CALLABLE_TYPE_FUNCTION_NAMES.contains(name)
                    || CLAUSES_BEFORE_A_PARENTHESIS.contains(name)) {
                return true;
            }
            if (PostgresKeywords.COLUMN_NAME.contains(name)) {
                return GRAMMAR_CONSTRUCTS.contains(name) || SqlAllowList.TYPES.contains(name);
            }
        }
        if (before != null && before.isKeyword("tablesample")) {
            return TABLESAMPLE_METHODS.contains(name);
        }
        if (before != null && before.is("::")) {
            return SqlAllowList.TYPES.contains(name);
        }
        if (name.equals("varying") && before != null && (before.isKeyword("character") || before.isKeyword("char") || before.isKeyword("bit"))) {
            return true;
        }
        return SqlAllowList.FUNCTIONS.contains(name);
    }

    private static boolean declaresColumns(List<Token> tokens, int wordIndex) {
        Token before = wordIndex > 0 ? tokens.get(wordIndex - 1) : null;
        if (before != null && (before.isKeyword("as") || before.is(")") || before.isKeyword("ordinality")
                || before.kind() == Kind.QUOTED_IDENTIFIER || before.kind() == Kind.IDENTIFIER && isPlainName(before.name()))) {
            return true;
        }
        int close = matchingClose(tokens, wordIndex + 1);
        if (close < 0 || close + 2 >= tokens.size() || !tokens.get(close + 1).isKeyword("as")) {
            return false;
        }
        Token afterAs = tokens.get(close + 2);
        return afterAs.is("(") || afterAs.isKeyword("not") || afterAs.isKeyword("materialized");
    }

    private static boolean isPlainName(String word) {
        return !PostgresKeywords.RESERVED.contains(word) && !PostgresKeywords.TYPE_FUNCTION_NAME.contains(word)
                && !PostgresKeywords.COLUMN_NAME.contains(word) && !PostgresKeywords.UNRESERVED.contains(word);
    }

    private static int matchingClose(List<Token> tokens, int openIndex) {
        int depth = 0;
        for (int i = openIndex; i < tokens.size(); i++) {
            if (tokens.get(i).is("(")) {
                depth++;
            } else if (tokens.get(i).is(")") && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String qualifiedName(List<Token> tokens, int last) {
        Deque<String> parts = new ArrayDeque<>();
        parts.push(tokens.get(last).name());
        for (int i = last - 1; i > 0 && tokens.get(i).is(".") && tokens.get(i - 1).isIdentifier(); i -= 2) {
            parts.push(tokens.get(i - 1).name());
        }
        return String.join(".", parts);
    }

    static SqlRejection forbiddenFunction(String name) {
        return new SqlRejection(SQL_FORBIDDEN_FUNCTION,
                name + "() is not an allowed function. Tenant queries may call the warehouse's analytic functions"
                        + " (aggregate, window, date and time, string, math, JSON); see the API documentation.");
    }

    static SqlRejection systemObject(String name) {
        return new SqlRejection(SQL_FORBIDDEN_OBJECT, name + " is a system object and cannot be queried.");
    }
}
