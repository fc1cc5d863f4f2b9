package dev.spectra.gateway.sql;

import dev.spectra.common.statement.QueryParameter;
import dev.spectra.gateway.sql.PostgresLexer.Kind;
import dev.spectra.gateway.sql.PostgresLexer.Token;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.spectra.common.error.ErrorCode.PARAMETER_INVALID;

/**
 * A statement's {@code :name} markers and the client's parameters: every marker must name a parameter and every
 * parameter must be used. A marker is a {@code :} followed at once by an unquoted identifier, found on the tokens,
 * so a {@code :name} inside a string, a quoted identifier or a comment is not one, and {@code ::type} is a cast.
 * Names are matched exactly, as the Data API matches them.
 *
 * <p>Binding replaces each marker with {@link QueryParameter#sqlInPlaceOfMarker()}: a cast of the marker to the
 * declared type, whose value the Data API binds, or, for NULL and the empty string, which the Data API cannot bind,
 * a typed constant that depends only on the type. The client's value is never written into the text.
 */
final class ParameterMarkers {

    private ParameterMarkers() {}

    /** Why the markers and the parameters disagree; empty when they agree. */
    static Optional<SqlRejection> mismatch(List<Token> statement, List<QueryParameter> parameters) {
        Set<String> markers = markers(statement);
        Set<String> declared = parameters.stream().map(QueryParameter::name).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String marker : markers) {
            if (!declared.contains(marker)) {
                return Optional.of(new SqlRejection(PARAMETER_INVALID, "The SQL uses :" + marker
                        + " but no parameter of that name is given; add {\"name\": \"" + marker + "\", \"value\": ...}."));
            }
        }
        for (String name : declared) {
            if (!markers.contains(name)) {
                return Optional.of(new SqlRejection(PARAMETER_INVALID, "Parameter '" + name + "' is not used in the SQL (no :"
                        + name + " marker); remove it."));
            }
        }
        return Optional.empty();
    }

    /** The statement with every marker replaced; call only when {@link #mismatch} found none. */
    static List<Token> bind(List<Token> statement, List<QueryParameter> parameters) {
        if (parameters.isEmpty()) {
            return statement;
        }
        Map<String, QueryParameter> byName = parameters.stream()
                .collect(Collectors.toMap(QueryParameter::name, Function.identity()));
        List<Token> bound = new ArrayList<>(statement.size());
        for (int i = 0; i < statement.size(); i++) {
            if (isMarker(statement, i)) {
                Token colon = statement.get(i);
                String replacement = byName.get(statement.get(i + 1).canonical()).sqlInPlaceOfMarker();
                // Rewritten: written with a space on either side, so it cannot run into a neighbour.
                bound.add(new Token(Kind.PUNCTUATION, replacement, replacement, true, colon.spaced(), colon.position()));
                i++;
            } else {
                bound.add(statement.get(i));
            }
        }
        return bound;
    }

    private static Set<String> markers(List<Token> statement) {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < statement.size(); i++) {
            if (isMarker(statement, i)) {
                names.add(statement.get(i + 1).canonical());
            }
        }
        return names;
    }

    private static boolean isMarker(List<Token> statement, int index) {
        if (!statement.get(index).is(":") || index + 1 >= statement.size()) {
            return false;
        }
        Token name = statement.get(index + 1);
        return name.kind() == Kind.IDENTIFIER && !name.spaced() && QueryParameter.NAME.matcher(name.canonical()).matches();
    }
}
