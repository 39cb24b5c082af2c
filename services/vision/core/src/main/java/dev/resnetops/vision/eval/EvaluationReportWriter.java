package dev.resnetops.vision.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes an {@link EvaluationReport} as the files of an evaluation directory:
 *
 * <ul>
 *   <li>{@value #METRICS_JSON}: the report as pretty-printed JSON; reads back with
 *       {@code new ObjectMapper().readValue(file, EvaluationReport.class)}</li>
 *   <li>{@value #PER_CLASS_CSV}: one row per class</li>
 *   <li>{@value #CONFUSION_CSV}: the matrix with class names as row and column headers</li>
 *   <li>{@value #CONFUSION_PNG}: the matrix drawn by {@link ConfusionMatrixPlot}</li>
 * </ul>
 *
 * <p>Each file is replaced atomically, so a reader sees either the previous version or the new
 * one, never a truncated file. Everything is rendered in memory before the first file is
 * replaced, so a bad argument or a rendering failure leaves the directory as it was.
 */
public final class EvaluationReportWriter {

    public static final String METRICS_JSON = "metrics.json";
    public static final String PER_CLASS_CSV = "per_class.csv";
    public static final String CONFUSION_CSV = "confusion_matrix.csv";
    public static final String CONFUSION_PNG = "confusion_matrix.png";

    static final List<String> PER_CLASS_HEADER =
            List.of("class_index", "class_name", "support", "correct", "accuracy", "precision", "recall");

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final ConfusionMatrixPlot plot = new ConfusionMatrixPlot();

    /** Writes the report with the class indices as names, for data sets without a label map. */
    public void write(EvaluationReport report, Path dir) throws IOException {
        Objects.requireNonNull(report, "report");
        List<String> indices = new ArrayList<>(report.numClasses());
        for (int index = 0; index < report.numClasses(); index++) {
            indices.add(Integer.toString(index));
        }
        write(report, indices, dir);
    }

    /**
     * Writes the four report files into {@code dir}, creating it if needed.
     *
     * @param classNames one name per class, in index order
     */
    public void write(EvaluationReport report, List<String> classNames, Path dir) throws IOException {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(classNames, "classNames");
        Objects.requireNonNull(dir, "dir");
        if (classNames.size() != report.numClasses()) {
            throw new IllegalArgumentException("expected " + report.numClasses()
                    + " class names (one per class of the report), found " + classNames.size());
        }
        for (int index = 0; index < classNames.size(); index++) {
            if (classNames.get(index) == null) {
                throw new IllegalArgumentException("expected a name for every class, found null at index " + index);
            }
        }
        byte[] metrics = mapper.writeValueAsBytes(report);
        byte[] perClass = perClassCsv(report, classNames).getBytes(StandardCharsets.UTF_8);
        byte[] confusion = confusionCsv(report, classNames).getBytes(StandardCharsets.UTF_8);
        String title = String.format(Locale.ROOT, "Confusion matrix: top-1 %.2f%% on %d samples",
                100.0 * report.top1(), report.count());
        var image = plot.draw(report.confusion(), classNames, title);

        AtomicFiles.write(dir.resolve(METRICS_JSON), metrics);
        AtomicFiles.write(dir.resolve(PER_CLASS_CSV), perClass);
        AtomicFiles.write(dir.resolve(CONFUSION_CSV), confusion);
        AtomicFiles.writePng(dir.resolve(CONFUSION_PNG), image);
    }

    static String perClassCsv(EvaluationReport report, List<String> classNames) {
        StringBuilder csv = new StringBuilder(CsvRow.format(PER_CLASS_HEADER));
        for (ClassAccuracy row : report.perClass()) {
            csv.append(CsvRow.format(List.of(
                    Integer.toString(row.index()),
                    classNames.get(row.index()),
                    Long.toString(row.support()),
                    Long.toString(row.correct()),
                    ratio(row.accuracy()),
                    ratio(row.precision()),
                    ratio(row.recall()))));
        }
        return csv.toString();
    }

    /** Header row: an empty corner cell, then the predicted class names; each row starts with the true class. */
    static String confusionCsv(EvaluationReport report, List<String> classNames) {
        List<String> header = new ArrayList<>(classNames.size() + 1);
        // The corner cell says which axis is which, since CSV has no other place to say it.
        header.add("true\\predicted");
        header.addAll(classNames);
        StringBuilder csv = new StringBuilder(CsvRow.format(header));
        long[][] confusion = report.confusion();
        for (int row = 0; row < confusion.length; row++) {
            List<String> fields = new ArrayList<>(confusion.length + 1);
            fields.add(classNames.get(row));
            for (long count : confusion[row]) {
                fields.add(Long.toString(count));
            }
            csv.append(CsvRow.format(fields));
        }
        return csv.toString();
    }

    // Fixed six decimals: locale-independent, never scientific notation, plenty for a ratio.
    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }
}
