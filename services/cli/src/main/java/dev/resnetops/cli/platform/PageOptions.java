package dev.resnetops.cli.platform;

import dev.resnetops.contracts.api.Page;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** Which page of a listing to show; pages count from 0, as in the API. */
final class PageOptions {

    @Option(names = "--page", paramLabel = "N", defaultValue = "0", description = "Page, from 0 (default: ${DEFAULT-VALUE}).")
    int page;

    @Option(names = "--size", paramLabel = "N", defaultValue = "20", description = "Rows per page (default: ${DEFAULT-VALUE}).")
    int size;

    void validate() {
        if (page < 0 || size < 1) {
            throw new IllegalArgumentException("need --page >= 0 and --size >= 1, got --page " + page + " --size " + size);
        }
    }

    /** Says how much there is beyond this page, and how to get the next one. */
    void printFooter(PrintWriter out, Page<?> shown, String things) {
        long pages = (shown.total() + size - 1) / size;
        if (pages > 1 || shown.page() > 0) {
            out.printf("page %d of %d (%d %s)%s%n", shown.page(), pages, shown.total(), things,
                    shown.page() + 1 < pages ? "; next: --page " + (shown.page() + 1) : "");
        }
        out.flush();
    }
}
