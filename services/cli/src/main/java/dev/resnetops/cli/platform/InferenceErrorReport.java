package dev.resnetops.cli.platform;

import dev.resnetops.cli.UserErrorHandler;
import dev.resnetops.cli.client.ApiException;
import java.io.PrintWriter;

/**
 * What a failed call to the inference service means and what to do: the service is down, has no
 * champion to serve yet, or refused the image (then the server's reason is the useful part).
 */
final class InferenceErrorReport {

    static final String NO_CHAMPION = "no champion yet: train, evaluate and promote one (./mlops demo does all "
            + "three; or ./mlops jobs submit ..., then ./mlops models promote resnetops-fashion-mnist)";

    private InferenceErrorReport() {}

    /** Prints the error and returns the exit code: 2 when the image or request was wrong, 1 when the service is. */
    static int print(ApiException e, String what, PrintWriter err) {
        String service = e.uri().getScheme() + "://" + e.uri().getRawAuthority();
        int exit = UserErrorHandler.PLATFORM_ERROR;
        switch (e.kind()) {
            case UNREACHABLE -> {
                err.println("error: cannot reach the inference service at " + service + ": is it running? Start the "
                        + "platform with ./mlops up (./mlops status shows it), or point --url or "
                        + ApiSettings.INFERENCE_URL_VARIABLE + " at the service");
                err.println("  (" + e.getMessage() + ")");
            }
            case TIMED_OUT -> err.println("error: the inference service at " + service + " did not answer: "
                    + e.getMessage() + "; it may be loading a model or overloaded: try again, or wait longer with --timeout");
            case UNREADABLE_RESPONSE -> err.println("error: " + e.getMessage());
            case REJECTED -> {
                if (e.status() == 503) {
                    err.println("error: the inference service at " + service + " has no model loaded: " + NO_CHAMPION);
                    err.println("  (the service said: " + e.getMessage() + ")");
                } else if (e.status() == 400) {
                    err.println("error: the inference service refused " + what + ": " + e.getMessage());
                    exit = UserErrorHandler.USER_ERROR;
                } else if (e.status() == 401 || e.status() == 403) {
                    err.println("error: the inference service refused the token (HTTP " + e.status() + "): "
                            + e.getMessage());
                    err.println("  pass --token, set " + ApiSettings.TOKEN_VARIABLE + ", or keep the one ./mlops up"
                            + " wrote to $MLOPS_HOME/infra/api-token; other roles: ./mlops token create --role ROLE");
                    exit = UserErrorHandler.USER_ERROR;
                } else if (e.status() == 429) {
                    err.println("error: too many requests to the inference service: " + e.getMessage());
                    err.println("  wait and try again, or stream many images with ./mlops stream instead");
                    exit = UserErrorHandler.USER_ERROR;
                } else if (e.status() == 413) {
                    err.println("error: " + what + " is too large for the inference service: " + e.getMessage());
                    exit = UserErrorHandler.USER_ERROR;
                } else {
                    err.println("error: the inference service answered HTTP " + e.status() + ": " + e.getMessage());
                    exit = e.isClientError() ? UserErrorHandler.USER_ERROR : UserErrorHandler.PLATFORM_ERROR;
                }
            }
        }
        err.flush();
        return exit;
    }
}
