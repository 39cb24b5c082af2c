package dev.resnetops.tracking;

import java.util.Objects;
import java.util.Optional;

/**
 * The user and password a client shows MLflow's basic-auth app. {@link #toString()} never shows the
 * password, so an account can be logged or put in a message as it is.
 */
public record MlflowAccount(String user, String password) {

    /** The variables tools and tests read the account from (the platform's services read typed config). */
    public static final String USER_VARIABLE = "MLOPS_MLFLOW_USER";
    public static final String PASSWORD_VARIABLE = "MLOPS_MLFLOW_PASSWORD";

    public MlflowAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isBlank()) {
            throw new IllegalArgumentException("the MLflow user name is blank");
        }
        if (user.contains(":")) {
            // Basic authentication joins the two with ':'; MLflow would read a different user.
            throw new IllegalArgumentException("the MLflow user name '" + user + "' contains ':'");
        }
    }

    /**
     * The account of two optional settings: none when no user is set; a user without a password is a
     * configuration mistake, refused with the names of both settings.
     */
    public static Optional<MlflowAccount> of(Optional<String> user, Optional<String> password, String userSetting,
                                             String passwordSetting) {
        if (user.isEmpty() || user.get().isBlank()) {
            return Optional.empty();
        }
        if (password.isEmpty() || password.get().isEmpty()) {
            throw new IllegalArgumentException(userSetting + " names MLflow user '" + user.get() + "' but "
                    + passwordSetting + " is not set: set both (the local stack writes them to infra.env), or neither"
                    + " for a server without authentication");
        }
        return Optional.of(new MlflowAccount(user.get(), password.get()));
    }

    /** {@value #USER_VARIABLE} and {@value #PASSWORD_VARIABLE} of this process, if set. */
    public static Optional<MlflowAccount> fromEnvironment() {
        return of(Optional.ofNullable(System.getenv(USER_VARIABLE)), Optional.ofNullable(System.getenv(PASSWORD_VARIABLE)),
                USER_VARIABLE, PASSWORD_VARIABLE);
    }

    /** {@link #fromEnvironment()} for tools and tests that cannot work without an account. */
    public static MlflowAccount requiredFromEnvironment() {
        return fromEnvironment().orElseThrow(() -> new IllegalStateException(USER_VARIABLE + " and " + PASSWORD_VARIABLE
                + " are not set: MLflow needs an account (the local stack's admin is in its infra.env, which"
                + " ./mlops test exports)"));
    }

    @Override
    public String toString() {
        return "MLflow account '" + user + "'";
    }
}
