package dev.resnetops.tracking;

/**
 * An MLflow request failed: the server answered with an error (4xx/5xx), or an answer could not be
 * understood. The message names the server, the operation and what the server said, e.g.
 * {@code MLflow at http://127.0.0.1:5000: log-batch for run abc failed: HTTP 400 INVALID_PARAMETER_VALUE: ...}.
 */
public class MlflowException extends RuntimeException {

    /** MLflow's code for "no such experiment / run / model / version / alias". */
    public static final String RESOURCE_DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST";
    /** MLflow's code for "an experiment / registered model of that name exists already". */
    public static final String RESOURCE_ALREADY_EXISTS = "RESOURCE_ALREADY_EXISTS";

    private final String server;
    private final String operation;
    private final int httpStatus;
    private final String errorCode;
    private final String serverMessage;

    public MlflowException(String server, String operation, int httpStatus, String errorCode, String serverMessage,
                           Throwable cause) {
        super(describe(server, operation, httpStatus, errorCode, serverMessage), cause);
        this.server = server;
        this.operation = operation;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode == null ? "" : errorCode;
        this.serverMessage = serverMessage == null ? "" : serverMessage;
    }

    private static String describe(String server, String operation, int httpStatus, String errorCode, String message) {
        StringBuilder text = new StringBuilder("MLflow at ").append(server).append(": ").append(operation).append(" failed: ");
        if (httpStatus > 0) {
            text.append("HTTP ").append(httpStatus).append(' ');
        }
        if (errorCode != null && !errorCode.isEmpty()) {
            text.append(errorCode).append(": ");
        }
        return text.append(message == null || message.isEmpty() ? "(no message)" : message).toString();
    }

    /** The server's base URI as configured in the client. */
    public String server() {
        return server;
    }

    /** What was being done, e.g. {@code log-batch for run abc}. */
    public String operation() {
        return operation;
    }

    /** The HTTP status; 0 when no answer came back. */
    public int httpStatus() {
        return httpStatus;
    }

    /** MLflow's {@code error_code} (e.g. {@value #RESOURCE_DOES_NOT_EXIST}); empty when it sent none. */
    public String errorCode() {
        return errorCode;
    }

    /** What the server (or the network) said, without the server and operation prefix. */
    public String serverMessage() {
        return serverMessage;
    }

    /** Whether the thing asked for does not exist. */
    public boolean isNotFound() {
        return RESOURCE_DOES_NOT_EXIST.equals(errorCode) || httpStatus == 404;
    }
}
