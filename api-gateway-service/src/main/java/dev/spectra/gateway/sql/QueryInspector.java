package dev.spectra.gateway.sql;

import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.util.TablesNamesFinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

import static dev.spectra.common.error.ErrorCode.SQL_FORBIDDEN_FUNCTION;
import static dev.spectra.common.error.ErrorCode.SQL_FORBIDDEN_OBJECT;
import static dev.spectra.common.error.ErrorCode.SQL_INVALID;
import static dev.spectra.common.error.ErrorCode.SQL_NOT_READ_ONLY;

/**
 * Walks a whole query, subqueries and CTEs included, for what makes it more than a read-only query
 * (SELECT ... INTO, FOR UPDATE/SHARE, data-modifying CTEs), for system relations, and for calls and
 * casts outside {@link SqlAllowList}. Built on JSqlParser's {@link TablesNamesFinder}, which already
 * visits every table, function and subquery; this only looks at what it visits. One instance per query:
 * it collects state.
 *
 * <p>It reads the canonical text the lexer wrote, and it is the second opinion on functions and casts:
 * {@link TokenInspector} has already checked every call and cast in the token stream, independently of
 * how JSqlParser's grammar reads it.
 */
final class QueryInspector extends TablesNamesFinder<Void> {

    private static final Logger log = LoggerFactory.getLogger(QueryInspector.class);

    private String write;
    private SqlRejection forbidden;

    /**
     * The first reason the query is refused, writes before system objects. A query the finder cannot
     * walk is refused too (fail closed): it could not be checked for system objects.
     */
    static Optional<SqlRejection> inspect(Select query) {
        QueryInspector inspector = new QueryInspector();
        try {
            inspector.getTables((Statement) query);
        } catch (RuntimeException | StackOverflowError e) {
            log.warn("SQL guard could not inspect a parsed query: {}", e.getClass().getName());
            return Optional.of(new SqlRejection(SQL_INVALID, "The query uses a construct the SQL guard cannot check."));
        }
        if (inspector.write != null) {
            return Optional.of(new SqlRejection(SQL_NOT_READ_ONLY,
                    "Only read-only queries are accepted; this query contains " + inspector.write + "."));
        }
        return Optional.ofNullable(inspector.forbidden);
    }

    @Override
    public <S> Void visit(PlainSelect select, S context) {
        if (select.getIntoTables() != null && !select.getIntoTables().isEmpty()
                || select.getIntoTempTable() != null || select.getMySqlSelectIntoClause() != null) {
            writes("SELECT ... INTO");
        }
        checkLocking(select);
        return super.visit(select, context);
    }

    @Override
    public <S> Void visit(SetOperationList setOperation, S context) {
        checkLocking(setOperation);
        return super.visit(setOperation, context);
    }

    @Override
    public <S> Void visit(ParenthesedSelect select, S context) {
        checkLocking(select);
        return super.visit(select, context);
    }

    @Override
    public <S> Void visit(WithItem<?> withItem, S context) {
        if (!(withItem.getParenthesedStatement() instanceof ParenthesedSelect)) {
            writes("a data-modifying WITH clause");
        }
        return super.visit(withItem, context);
    }

    @Override
    public <S> Void visit(Insert insert, S context) {
        writes("INSERT");
        return super.visit(insert, context);
    }

    @Override
    public <S> Void visit(Update update, S context) {
        writes("UPDATE");
        return super.visit(update, context);
    }

    @Override
    public <S> Void visit(Delete delete, S context) {
        writes("DELETE");
        return super.visit(delete, context);
    }

    @Override
    public <S> Void visit(Merge merge, S context) {
        writes("MERGE");
        return super.visit(merge, context);
    }

    @Override
    public <S> Void visit(Upsert upsert, S context) {
        writes("UPSERT");
        return super.visit(upsert, context);
    }

    @Override
    public <S> Void visit(Table table, S context) {
        String name = table.getName() == null ? null : SystemObjects.normalize(table.getName());
        String schema = table.getSchemaName() == null ? null : SystemObjects.normalize(table.getSchemaName());
        if (table.getDatabaseName() != null && !table.getDatabaseName().isBlank()) {
            forbid(new SqlRejection(SQL_FORBIDDEN_OBJECT,
                    table.getFullyQualifiedName() + " names another database; only this warehouse's tables can be queried."));
        } else if (schema != null && SystemObjects.isSystemSchema(schema) || name != null && SystemObjects.isSystemRelation(name)) {
            forbid(TokenInspector.systemObject(table.getFullyQualifiedName()));
        }
        return super.visit(table, context);
    }

    @Override
    public <S> Void visit(Function function, S context) {
        List<String> parts = function.getMultipartName();
        if (parts != null && parts.size() > 1) {
            forbid(new SqlRejection(SQL_FORBIDDEN_FUNCTION, "Functions are called by their plain name; "
                    + String.join(".", parts) + "() is not accepted."));
        } else if (function.getName() != null) {
            checkFunction(function.getName());
        }
        return super.visit(function, context);
    }

    @Override
    public <S> Void visit(AnalyticExpression function, S context) {
        checkFunction(function.getName());
        return super.visit(function, context);
    }

    @Override
    public <S> Void visit(CastExpression cast, S context) {
        if (cast.getColDataType() != null && cast.getColDataType().getDataType() != null) {
            String type = SystemObjects.typeName(cast.getColDataType().getDataType());
            if (!SqlAllowList.TYPES.contains(type)) {
                forbid(new SqlRejection(SQL_FORBIDDEN_OBJECT,
                        "The type " + type + " cannot be used in a cast; allowed types are the plain data types."));
            }
        }
        return super.visit(cast, context);
    }

    private void checkFunction(String rawName) {
        String name = SystemObjects.normalize(rawName);
        if (!SqlAllowList.FUNCTIONS.contains(name) && !SqlAllowList.TYPES.contains(name)
                && !SqlAllowList.PARSER_CONSTRUCTS.contains(name)) {
            forbid(TokenInspector.forbiddenFunction(name));
        }
    }

    private void checkLocking(Select select) {
        if (select.getForMode() != null || select.getForUpdateTable() != null) {
            writes("FOR UPDATE/SHARE");
        }
    }

    private void writes(String what) {
        if (write == null) {
            write = what;
        }
    }

    private void forbid(SqlRejection rejection) {
        if (forbidden == null) {
            forbidden = rejection;
        }
    }
}
