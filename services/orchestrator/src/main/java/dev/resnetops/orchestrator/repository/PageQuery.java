package dev.resnetops.orchestrator.repository;

import dev.resnetops.contracts.api.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a listing and the total it is a page of, both read on one connection with the same
 * filter, so "page 3 of 7" and the items agree as far as one statement each can.
 */
final class PageQuery {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private PageQuery() {}

    /**
     * @param countSql   {@code SELECT count(*) ...} with the filter's placeholders
     * @param pageSql    the select with the same filter, ordered, ending in {@code LIMIT ? OFFSET ?}
     * @param filter     the values of the filter's placeholders, in order
     */
    static <T> Page<T> fetch(Connection c, String countSql, String pageSql, List<?> filter, int page, int size,
                             RowMapper<T> mapper) throws SQLException {
        long total;
        try (PreparedStatement count = c.prepareStatement(countSql)) {
            bind(count, filter);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        List<T> items = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(pageSql)) {
            int next = bind(q, filter);
            q.setInt(next, size);
            q.setLong(next + 1, (long) page * size);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    items.add(mapper.map(rs));
                }
            }
        }
        return new Page<>(items, page, size, total);
    }

    /** Binds the filter values; answers the next placeholder's index. */
    private static int bind(PreparedStatement statement, List<?> values) throws SQLException {
        int i = 1;
        for (Object value : values) {
            statement.setObject(i++, value);
        }
        return i;
    }
}
