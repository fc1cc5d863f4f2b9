package dev.spectra.local.dataapi;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlTextTest {

    @Test
    void turnsNamedPlaceholdersIntoPositionalOnesInOrder() {
        PreparedSql prepared = SqlText.prepare("SELECT * FROM t WHERE a = :a AND b IN (:b, :a)",
                List.of(new SqlParameter("a", "1"), new SqlParameter("b", "2")));

        assertThat(prepared.jdbcSql()).isEqualTo("SELECT * FROM t WHERE a = ? AND b IN (?, ?)");
        assertThat(prepared.values()).containsExactly("1", "2", "1");
        assertThat(prepared.bindsParameters()).isTrue();
    }

    @Test
    void leavesLiteralsCommentsCastsAndDollarQuotesAlone() {
        String sql = """
                SELECT ':a', E'it\\'s :a', "col:a", $$ :a $$, $tag$ :a $tag$, x::int -- :a
                /* :a /* nested :a */ */ FROM t WHERE y = :a""";

        PreparedSql prepared = SqlText.prepare(sql, List.of(new SqlParameter("a", "v")));

        assertThat(prepared.values()).containsExactly("v");
        assertThat(prepared.jdbcSql()).isEqualTo(sql.replace("y = :a", "y = ?"));
    }

    @Test
    void escapesQuestionMarksSoJdbcDoesNotReadThemAsPlaceholders() {
        PreparedSql prepared = SqlText.prepare("SELECT doc ? 'key' FROM t WHERE id = :id",
                List.of(new SqlParameter("id", "7")));

        assertThat(prepared.jdbcSql()).isEqualTo("SELECT doc ?? 'key' FROM t WHERE id = ?");
    }

    @Test
    void sendsTextUnchangedWithoutParameters() {
        PreparedSql prepared = SqlText.prepare("SELECT ':x', 1 WHERE true", List.of());

        assertThat(prepared.jdbcSql()).isEqualTo("SELECT ':x', 1 WHERE true");
        assertThat(prepared.bindsParameters()).isFalse();
    }

    @Test
    void endsALineCommentAtACarriageReturnAsPostgresDoes() {
        PreparedSql prepared = SqlText.prepare("SELECT 1 -- note :a\r, :b", List.of(new SqlParameter("b", "2")));

        assertThat(prepared.jdbcSql()).isEqualTo("SELECT 1 -- note :a\r, ?");
        assertThat(prepared.values()).containsExactly("2");
    }

    @Test
    void skipsNestedBlockCommentsWhole() {
        PreparedSql prepared = SqlText.prepare("SELECT /* a /* :inner */ :still */ :b", List.of(new SqlParameter("b", "2")));

        assertThat(prepared.jdbcSql()).isEqualTo("SELECT /* a /* :inner */ :still */ ?");
    }

    @Test
    void refusesAPlaceholderWithoutAValueAndRepeatedNames() {
        assertThatThrownBy(() -> SqlText.prepare("SELECT :a, :b", List.of(new SqlParameter("a", "1"))))
                .isInstanceOf(DataApiException.class)
                .hasMessageContaining(":b");
        assertThatThrownBy(() -> SqlText.prepare("SELECT :a",
                List.of(new SqlParameter("a", "1"), new SqlParameter("a", "2"))))
                .isInstanceOf(DataApiException.class)
                .hasMessageContaining("repeated");
    }
}
