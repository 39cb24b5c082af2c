package dev.resnetops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The database roles of docs/security.md on the harness's real PostgreSQL, which {@code ./mlops up} bootstrapped
 * (deploy/local/parts/postgres.sh) and this application migrated as the schema owner (Flyway at start, as the
 * orchestrator does), grants included (migrations/R__service_role_grants.sql).
 *
 * <p>Here rather than as a system test: it needs PostgreSQL and the migrated schema only, not the services as
 * processes. That each service runs on its role is what the system tests and {@code ./mlops up} show, since
 * their launchers start every service with its own login.
 */
@QuarkusTest
class DatabaseRolesTest {

    private static final List<String> SERVICES = List.of("orchestrator", "ingestion", "trainer", "evaluator",
            "inference");
    /** insufficient_privilege: a statement refused for want of a privilege (or of ownership). */
    private static final String DENIED = "42501";

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String owner;

    @Test
    void aLoginWithoutAPasswordOrWithAWrongOneIsRefused() {
        for (String role : allLogins()) {
            assertThatThrownBy(() -> connect(role, null).close()).as("%s without a password", role)
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> connect(role, "not-the-password").close()).as("%s with a wrong password", role)
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void noServiceRoleNorTheOwnerIsASuperuserOrCanCreateRolesOrDatabases() throws SQLException {
        try (Connection db = connect(owner, ownerPassword()); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolname FROM pg_roles WHERE rolname = ANY ('{"
                     + String.join(",", allLogins()) + "}') AND NOT (rolsuper OR rolcreaterole OR rolcreatedb"
                     + " OR rolreplication OR rolbypassrls)")) {
            List<String> plain = new ArrayList<>();
            while (rs.next()) {
                plain.add(rs.getString(1));
            }
            assertThat(plain).containsExactlyInAnyOrderElementsOf(allLogins());
        }
    }

    @Test
    void theOwnerRanTheMigrationsAndOwnsEveryTable() throws SQLException {
        try (Connection db = connect(owner, ownerPassword()); Statement s = db.createStatement()) {
            assertThat(strings(s, "SELECT DISTINCT installed_by FROM flyway_schema_history")).containsExactly(owner);
            assertThat(strings(s, "SELECT script FROM flyway_schema_history WHERE version IS NULL AND success"))
                    .anySatisfy(script -> assertThat(script).endsWith("R__service_role_grants.sql"));
            assertThat(strings(s, "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S')"))
                    .containsExactly(owner);
        }
    }

    @Test
    void noServiceRoleCanCreateOrDropTablesOrReachMlflowsDatabase() {
        for (String service : SERVICES) {
            assertDenied(service, "CREATE TABLE intruder (id int)");
            assertDenied(service, "DROP TABLE jobs");
            assertDenied(service, "TRUNCATE outbox");
            assertThatThrownBy(() -> connect(role(service), password(service), url.replaceAll("/resnetops$", "/mlflow"))
                    .close()).as("%s connecting to the mlflow database", service).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied for database");
        }
    }

    @Test
    void eachServiceRoleDoesWhatItsServiceDoesAndNothingMore() {
        // What the services' SQL does (WHERE false: the privilege is checked, no row changes) ...
        assertAllowed("orchestrator", "INSERT INTO datasets (id, name, source, status) SELECT id, name, source, status"
                + " FROM datasets WHERE false");
        assertAllowed("orchestrator", "UPDATE jobs SET cancel_requested_at = now() WHERE false");
        assertAllowed("orchestrator", "SELECT id FROM model_versions WHERE false FOR SHARE");
        assertAllowed("orchestrator", "UPDATE workflow_steps SET state = 'RUNNING' WHERE false");
        assertAllowed("ingestion", "UPDATE datasets SET status = 'READY' WHERE false");
        assertAllowed("ingestion", "INSERT INTO inbox (consumer, message_id) SELECT consumer, message_id FROM inbox"
                + " WHERE false");
        assertAllowed("trainer", "SELECT id FROM jobs WHERE false FOR UPDATE SKIP LOCKED");
        assertAllowed("trainer", "UPDATE jobs SET state = 'RUNNING', lease_owner = 'w' WHERE false");
        assertAllowed("trainer", "UPDATE tracking_outbox SET sent_at = now() WHERE false");
        assertAllowed("trainer", "SELECT id, name FROM datasets WHERE false");
        assertAllowed("trainer", "INSERT INTO job_epoch_metrics (job_id, epoch, train_loss, learning_rate,"
                + " images_per_second, epoch_seconds) SELECT id, 1, 0, 0, 0, 0 FROM jobs WHERE false"
                + " ON CONFLICT (job_id, epoch) DO NOTHING");
        assertAllowed("evaluator", "SELECT id FROM jobs WHERE false FOR UPDATE");
        assertAllowed("evaluator", "UPDATE job_evaluations SET top1 = 1 WHERE false");
        assertAllowed("evaluator", "UPDATE model_aliases SET updated_at = now() WHERE false");
        for (String service : List.of("orchestrator", "ingestion", "trainer", "evaluator")) {
            assertAllowed(service, "UPDATE outbox SET published_at = now() WHERE false");
            assertAllowed(service, "SELECT count(*) FROM flyway_schema_history");
        }
        // ... and what they never do.
        assertDenied("trainer", "DELETE FROM datasets WHERE false");
        // It reads datasets (the MLflow dataset inputs of its runs name the dataset), never changes them.
        assertDenied("trainer", "UPDATE datasets SET status = 'READY' WHERE false");
        assertDenied("trainer", "UPDATE model_aliases SET updated_at = now() WHERE false");
        assertDenied("ingestion", "INSERT INTO jobs (id) SELECT id FROM datasets WHERE false");
        assertDenied("ingestion", "SELECT id FROM jobs");
        assertDenied("evaluator", "UPDATE jobs SET state = 'SUCCEEDED' WHERE false");
        assertDenied("evaluator", "UPDATE model_versions SET parity_passed = true WHERE false");
        assertDenied("orchestrator", "UPDATE model_versions SET parity_passed = true WHERE false");
        assertDenied("orchestrator", "UPDATE datasets SET status = 'READY' WHERE false");
        assertDenied("orchestrator", "SELECT 1 FROM tracking_outbox");
        assertDenied("inference", "SELECT id FROM jobs");
        assertDenied("inference", "SELECT alias FROM model_aliases");
        for (String service : SERVICES) {
            assertDenied(service, "DELETE FROM jobs WHERE false");
            assertDenied(service, "DELETE FROM outbox WHERE false");
            assertDenied(service, "UPDATE flyway_schema_history SET success = true WHERE false");
        }
    }

    @Test
    void theInferenceRoleMayConnect() {
        assertAllowed("inference", "SELECT 1");
    }

    private void assertAllowed(String service, String sql) {
        assertThatCode(() -> runAndRollBack(service, sql)).as("%s: %s", service, sql).doesNotThrowAnyException();
    }

    private void assertDenied(String service, String sql) {
        assertThatThrownBy(() -> runAndRollBack(service, sql)).as("%s: %s", service, sql)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage()).isEqualTo(DENIED));
    }

    private void runAndRollBack(String service, String sql) throws SQLException {
        try (Connection db = connect(role(service), password(service))) {
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                s.execute(sql);
            } finally {
                db.rollback();
            }
        }
    }

    private List<String> allLogins() {
        List<String> logins = new ArrayList<>(List.of(owner, "mlflow"));
        SERVICES.forEach(service -> logins.add(role(service)));
        return logins;
    }

    private static List<String> strings(Statement s, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private Connection connect(String user, String password) throws SQLException {
        return connect(user, password, url);
    }

    private static Connection connect(String user, String password, String jdbcUrl) throws SQLException {
        Properties p = new Properties();
        p.put("user", user);
        if (password != null) {
            p.put("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, p);
    }

    private static String ownerPassword() {
        return environment("MLOPS_PG_PASSWORD");
    }

    private static String role(String service) {
        return environment("MLOPS_PG_" + service.toUpperCase(Locale.ROOT) + "_USER");
    }

    private static String password(String service) {
        return environment("MLOPS_PG_" + service.toUpperCase(Locale.ROOT) + "_PASSWORD");
    }

    private static String environment(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set: this test needs the database roles ./mlops up makes."
                    + " Run it with ./mlops test, or export the variables of .mlops/infra/infra.env");
        }
        return value;
    }
}
