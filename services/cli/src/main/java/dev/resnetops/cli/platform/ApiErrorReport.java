package dev.resnetops.cli.platform;

import dev.resnetops.cli.client.ApiClient;
import dev.resnetops.cli.client.ApiException;
import dev.resnetops.contracts.api.Problem;
import java.io.PrintWriter;
import java.net.URI;

/** What a failed API request means for the person at the terminal, and what to do about it. */
public final class ApiErrorReport {

    private ApiErrorReport() {}

    public static void print(ApiException e, PrintWriter err) {
        String api = origin(e.uri());
        switch (e.kind()) {
            case UNREACHABLE -> {
                err.println("error: cannot reach the platform API at " + api + ": is it running? start it with "
                        + "./mlops up (or point --api or " + ApiSettings.API_URL_VARIABLE + " at it)");
                err.println("  (" + e.uri().getPath() + ": " + e.getMessage() + ")");
            }
            case TIMED_OUT -> err.println("error: the platform API at " + api + " did not answer " + e.uri().getPath()
                    + ": " + e.getMessage() + "; it may be overloaded: try again, or wait longer with --timeout");
            case UNREADABLE_RESPONSE -> err.println("error: " + e.getMessage());
            case REJECTED -> printRejection(e, err);
        }
        err.flush();
    }

    private static void printRejection(ApiException e, PrintWriter err) {
        int status = e.status();
        String http = "(HTTP " + status + " " + ApiClient.reason(status) + ")";
        String summary = switch (status) {
            case 401 -> "the platform API refused the request: no valid token " + http;
            case 403 -> "the token's role may not do this " + http;
            case 429 -> "too many requests " + http;
            case 404 -> "not found " + http;
            case 409 -> "conflict " + http;
            default -> status >= 500 ? "the platform API failed " + http : "the platform API refused the request " + http;
        };
        err.println("error: " + summary + ": " + e.getMessage());
        for (Problem problem : e.problems()) {
            err.println("  - " + (problem.field() == null || problem.field().isBlank() ? "" : problem.field() + ": ")
                    + problem.message());
        }
        if (status == 401) {
            err.println("  use the platform's token: pass --token, set " + ApiSettings.TOKEN_VARIABLE + ", or keep the "
                    + "one ./mlops up wrote to $MLOPS_HOME/infra/api-token (MLOPS_HOME defaults to ./.mlops; ./mlops up"
                    + " renews it when it has expired)");
        } else if (status == 403) {
            err.println("  use a token with the role the message names: ./mlops token create --role ROLE, on the"
                    + " machine that holds the platform's signing key (docs/security.md)");
        } else if (status >= 500) {
            err.println("  this is a fault of the platform, not of the request; the orchestrator's log has the details"
                    + " under the error id above (quote it when reporting the problem)");
        }
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
