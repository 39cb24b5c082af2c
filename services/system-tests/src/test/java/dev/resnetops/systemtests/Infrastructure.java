package dev.resnetops.systemtests;

import dev.resnetops.tracking.MlflowAccount;
import dev.resnetops.tracking.MlflowClient;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The addresses of the real infrastructure the test launcher ({@code ./mlops test}) started and exported.
 * Failing fast with what to do beats a connection timeout deep inside a test.
 */
final class Infrastructure {

    private Infrastructure() {
    }

    static String kafka() {
        return required("MLOPS_KAFKA_BOOTSTRAP");
    }

    static String mlflow() {
        return required("MLOPS_MLFLOW_URL");
    }

    /** A client of MLflow as its admin (MLOPS_MLFLOW_USER/_PASSWORD of infra.env), for what tests check or set up. */
    static MlflowClient mlflowClient() {
        return MlflowClient.builder().setServer(URI.create(mlflow()))
                .optAccount(MlflowAccount.requiredFromEnvironment()).build();
    }

    static String postgresUrl() {
        return required("MLOPS_PG_URL");
    }

    static String postgresUser() {
        String user = System.getenv("MLOPS_PG_USER");
        return user == null || user.isBlank() ? "resnetops" : user;
    }

    static Connection database() throws SQLException {
        Properties p = new Properties();
        p.put("user", postgresUser());
        if (!postgresPassword().isEmpty()) {
            p.put("password", postgresPassword());
        }
        return DriverManager.getConnection(postgresUrl(), p);
    }

    /** The schema owner's password: the owner is the login of {@link #database()} and of Flyway's migrations. */
    static String postgresPassword() {
        String password = System.getenv("MLOPS_PG_PASSWORD");
        return password == null ? "" : password;
    }

    /**
     * The database login the launcher gives the declared service {@code service} (e.g. {@code trainer}): its
     * own role from {@code MLOPS_PG_<SERVICE>_USER}/{@code _PASSWORD} as the {@code MLOPS_PG_USER}/{@code
     * MLOPS_PG_PASSWORD} every service reads, and for the orchestrator, which runs the migrations, the
     * owner's login as {@code MLOPS_PG_MIGRATION_USER}/{@code _PASSWORD} (docs/security.md).
     */
    static Map<String, String> databaseLoginOf(String service) {
        String prefix = "MLOPS_PG_" + service.toUpperCase(Locale.ROOT);
        Map<String, String> login = new HashMap<>();
        login.put("MLOPS_PG_USER", required(prefix + "_USER"));
        login.put("MLOPS_PG_PASSWORD", required(prefix + "_PASSWORD"));
        if (service.equals("orchestrator")) {
            login.put("MLOPS_PG_MIGRATION_USER", postgresUser());
            login.put("MLOPS_PG_MIGRATION_PASSWORD", postgresPassword());
        }
        return login;
    }

    static Path repoRoot() {
        String root = System.getProperty("mlops.repo.root");
        return root != null ? Path.of(root) : Path.of("../..").toAbsolutePath().normalize();
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: these tests need the real Kafka, PostgreSQL and"
                    + " MLflow. Run them with ./mlops test (starts everything on free loopback ports), or start"
                    + " ./mlops up and export the variables of .mlops/infra/infra.env");
        }
        return value;
    }
}
