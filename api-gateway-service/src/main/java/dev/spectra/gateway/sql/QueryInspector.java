package dev.spectra.gateway.sql;

import net.sf.jsqlparser.expression.AnalyticExpression;
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

import static dev.spectra.common.error.ErrorCode.SQL_FORBIDDEN_OBJECT;
import static dev.spectra.common.error.ErrorCode.SQL_INVALID;
import static dev.spectra.common.error.ErrorCode.SQL_NOT_READ_ONLY;

/**
 * Walks a whole query, subqueries and CTEs included, for what makes it more than a read-only query
 * (SELECT ... INTO, FOR UPDATE/SHARE, data-modifying CTEs) and for system objects. Built on
 * JSqlParser's {@link TablesNamesFinder}, which already visits every table, function and subquery;
 * this only looks at what it visits. One instance per query: it collects state.
 */
final class QueryInspector extends TablesNamesFinder<Void> {

    private static final Logger log = LoggerFactory.getLogger(QueryInspector.class);

    private String write;
    private String systemObject;

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
        if (inspector.systemObject != null) {
            return Optional.of(new SqlRejection(SQL_FORBIDDEN_OBJECT,
                    inspector.systemObject + " is a system object and cannot be queried."));
        }
        return Optional.empty();
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
        String schema = table.getSchemaName();
        if (schema != null && SystemObjects.isSystemSchema(schema)
                || table.getName() != null && SystemObjects.isSystemRelation(table.getName())) {
            forbidden(table.getFullyQualifiedName());
        }
        return super.visit(table, context);
    }

    @Override
    public <S> Void visit(Function function, S context) {
        checkFunction(function.getMultipartName(), function.getName());
        return super.visit(function, context);
    }

    @Override
    public <S> Void visit(AnalyticExpression function, S context) {
        checkFunction(List.of(function.getName()), function.getName());
        return super.visit(function, context);
    }

    private void checkFunction(List<String> nameParts, String displayName) {
        if (nameParts == null || nameParts.isEmpty()) {
            return;
        }
        String function = nameParts.getLast();
        boolean inSystemSchema = nameParts.size() > 1 && SystemObjects.isSystemSchema(nameParts.get(nameParts.size() - 2));
        if (inSystemSchema || SystemObjects.isForbiddenFunction(function)) {
            forbidden(displayName + "()");
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

    private void forbidden(String what) {
        if (systemObject == null) {
            systemObject = what;
        }
    }
}
