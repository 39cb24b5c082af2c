package dev.resnetops.systemtests;

import dev.resnetops.tracking.MlflowAccount;
import dev.resnetops.tracking.MlflowClient;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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
        String password = System.getenv("MLOPS_PG_PASSWORD");
        if (password != null && !password.isEmpty()) {
            p.put("password", password);
        }
        return DriverManager.getConnection(postgresUrl(), p);
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
