package dev.resnetops.vision.eval;

import java.util.List;

/**
 * Formats one CSV record (RFC 4180): a field is quoted when it contains a comma, a double quote
 * or a line break, and embedded quotes are doubled. Class names such as {@code "T-shirt/top"}
 * pass through unchanged; {@code "bag, leather"} or {@code 12" record} would otherwise shift the
 * columns of every spreadsheet that opens the file.
 */
final class CsvRow {

    private CsvRow() {
    }

    /** The fields joined by commas, terminated by a newline. */
    static String format(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(escape(fields.get(i)));
        }
        return line.append('\n').toString();
    }

    static String escape(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0
                && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
