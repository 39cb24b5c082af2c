package dev.resnetops.tracking;

/**
 * MLflow could not be reached or said it is temporarily unable to answer (connection refused,
 * timeout, HTTP 429/502/503/504). Nothing about the request itself was wrong: keep what was to be sent
 * (an outbox) and try again later.
 */
public class MlflowUnavailableException extends MlflowException {

    public MlflowUnavailableException(String server, String operation, int httpStatus, String errorCode,
                                      String serverMessage, Throwable cause) {
        super(server, operation, httpStatus, errorCode, serverMessage, cause);
    }
}
