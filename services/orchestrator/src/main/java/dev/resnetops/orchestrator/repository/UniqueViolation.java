package dev.resnetops.orchestrator.repository;

import java.sql.SQLException;

/** A row that another transaction inserted first (PostgreSQL SQLSTATE 23505). */
public final class UniqueViolation extends RuntimeException {

    private static final String UNIQUE_VIOLATION = "23505";

    UniqueViolation(String what, SQLException cause) {
        super(what + " already exists", cause);
    }

    static boolean is(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }
}
