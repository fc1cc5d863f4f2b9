package dev.spectra.local.dataapi;

import static java.util.Objects.requireNonNull;

/**
 * Which requests a fault acts on: one operation or every one, and one database user or every one. The
 * database user of a request is its {@code DbUser}, its session's, or (for requests naming a statement)
 * the statement's; a request with none, such as ListStatements, matches only a scope without a user.
 *
 * @param operation the operation, or null for every operation
 * @param dbUser    the database user, or null for every user
 */
public record FaultScope(DataApiOperation operation, String dbUser) {

    public FaultScope {
        if (dbUser != null && dbUser.isBlank()) {
            throw new IllegalArgumentException("dbUser is blank");
        }
    }

    public static FaultScope everything() {
        return new FaultScope(null, null);
    }

    public static FaultScope of(DataApiOperation operation) {
        return new FaultScope(requireNonNull(operation, "operation is null"), null);
    }

    /** Every operation, for one database user. */
    public static FaultScope dbUser(String dbUser) {
        return new FaultScope(null, requireNonNull(dbUser, "dbUser is null"));
    }

    public FaultScope forDbUser(String user) {
        return new FaultScope(operation, requireNonNull(user, "dbUser is null"));
    }

    boolean matches(DataApiOperation requested, String requestDbUser) {
        return (operation == null || operation == requested) && (dbUser == null || dbUser.equals(requestDbUser));
    }

    boolean covers(DataApiOperation requested) {
        return operation == null || operation == requested;
    }
}
