package dev.resnetops.tracking;

/**
 * MLflow refused the client's credentials (HTTP 401: no account, or a wrong password) or the account's
 * permissions (HTTP 403) for one operation. Not a transient fault: the same request fails the same way
 * until an operator fixes the password or the account's grants, so the message names the account, the
 * operation and where each is set.
 */
public class MlflowAccessDeniedException extends MlflowException {

    private final String account;

    public MlflowAccessDeniedException(String server, String operation, int httpStatus, String errorCode,
                                       String serverMessage, String account) {
        super(server, operation, httpStatus, errorCode, explain(httpStatus, account, serverMessage), null);
        this.account = account;
    }

    private static String explain(int httpStatus, String account, String serverMessage) {
        String who = account == null ? "no account (the client sends no credentials)" : "account '" + account + "'";
        String what = httpStatus == 401
                ? "the server does not accept the credentials of " + who + ": check the user and password"
                        + " (MLOPS_MLFLOW_USER, MLOPS_MLFLOW_PASSWORD; the local stack's are in infra.env)"
                : who + " lacks the permission for it: grant it as the admin (deploy/local/mlflow/mlflow_accounts.py"
                        + " lists what each service account needs, docs/security.md)";
        return what + (serverMessage == null || serverMessage.isBlank() ? "" : " [server: " + serverMessage + "]");
    }

    /** The user the client authenticated as; null when it sent no credentials. */
    public String account() {
        return account;
    }
}
