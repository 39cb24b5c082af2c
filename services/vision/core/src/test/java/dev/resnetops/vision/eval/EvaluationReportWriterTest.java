package dev.resnetops.vision.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportWriterTest {

    @TempDir
    Path dir;

    private final EvaluationReportWriter writer = new EvaluationReportWriter();

    /** 3 classes; true 0 -> 0, 0, 1; true 1 -> 1; true 2 -> 0. */
    private static EvaluationReport smallReport() {
        EvaluationAccumulator accumulator = new EvaluationAccumulator(3);
        accumulator.add(new float[] {
            3, 0, 0,
            3, 0, 0,
            0, 3, 0,
            0, 3, 0,
            3, 0, 0,
        }, new int[] {0, 0, 0, 1, 2});
        return accumulator.report();
    }

    private static final List<String> NAMES = List.of("T-shirt/top", "bag, leather", "12\" record");

    @Test
    void writesExactlyTheFourReportFilesAndNoTemporaries() throws IOException {
        writer.write(smallReport(), NAMES, dir.resolve("eval"));

        try (Stream<Path> files = Files.list(dir.resolve("eval"))) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("metrics.json", "per_class.csv", "confusion_matrix.csv",
                            "confusion_matrix.png");
        }
    }

    @Test
    void perClassCsvHasTheDocumentedHeaderAndEscapesNames() throws IOException {
        writer.write(smallReport(), NAMES, dir);

        assertThat(Files.readAllLines(dir.resolve("per_class.csv"), StandardCharsets.UTF_8)).containsExactly(
                "class_index,class_name,support,correct,accuracy,precision,recall",
                "0,T-shirt/top,3,2,0.666667,0.666667,0.666667",
                "1,\"bag, leather\",1,1,1.000000,0.500000,1.000000",
                "2,\"12\"\" record\",1,0,0.000000,0.000000,0.000000");
    }

    @Test
    void confusionCsvHasPredictedNamesAcrossAndTrueNamesDown() throws IOException {
        writer.write(smallReport(), NAMES, dir);

        assertThat(Files.readAllLines(dir.resolve("confusion_matrix.csv"), StandardCharsets.UTF_8)).containsExactly(
                "true\\predicted,T-shirt/top,\"bag, leather\",\"12\"\" record\"",
                "T-shirt/top,2,1,0",
                "\"bag, leather\",0,1,0",
                "\"12\"\" record\",1,0,0");
    }

    @Test
    void metricsJsonReadsBackAsTheSameReport() throws IOException {
        EvaluationReport report = smallReport();
        writer.write(report, NAMES, dir);

        ObjectMapper mapper = new ObjectMapper();
        JsonNode json = mapper.readTree(dir.resolve("metrics.json").toFile());
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("count", "top1", "top5", "loss", "topK", "perClass", "confusion");
        assertThat(json.get("top1").asDouble()).isEqualTo(0.6);
        assertThat(Files.readString(dir.resolve("metrics.json"))).contains("\n  \"count\" : 5");
        assertThat(mapper.readValue(dir.resolve("metrics.json").toFile(), EvaluationReport.class)).isEqualTo(report);
    }

    @Test
    void confusionPngIsAReadableImage() throws IOException {
        writer.write(smallReport(), NAMES, dir);

        BufferedImage image = ImageIO.read(dir.resolve("confusion_matrix.png").toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isBetween(400, 2000);
        assertThat(image.getHeight()).isBetween(300, 2000);
    }

    @Test
    void rewritingReplacesEveryFileWithTheNewReport() throws IOException {
        writer.write(smallReport(), NAMES, dir);
        EvaluationAccumulator accumulator = new EvaluationAccumulator(3);
        accumulator.add(new float[] {0, 0, 9}, new int[] {2});

        writer.write(accumulator.report(), NAMES, dir);

        assertThat(Files.readAllLines(dir.resolve("per_class.csv"))).hasSize(4)
                .contains("2,\"12\"\" record\",1,1,1.000000,1.000000,1.000000");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(4);
        }
    }

    @Test
    void withoutNamesTheClassIndicesAreUsed() throws IOException {
        writer.write(smallReport(), dir);

        assertThat(Files.readAllLines(dir.resolve("confusion_matrix.csv")).get(0)).isEqualTo("true\\predicted,0,1,2");
    }

    @Test
    void rejectsAClassNameListOfTheWrongSizeBeforeWritingAnything() {
        assertThatThrownBy(() -> writer.write(smallReport(), List.of("a", "b"), dir.resolve("eval")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 3 class names (one per class of the report), found 2");
        assertThat(dir.resolve("eval")).doesNotExist();
    }

    @Test
    void failedMoveLeavesNoTemporaryFileBehind() throws IOException {
        // A non-empty directory where metrics.json should go: the final rename must fail.
        Files.createDirectories(dir.resolve("metrics.json").resolve("blocker"));

        assertThatThrownBy(() -> writer.write(smallReport(), NAMES, dir)).isInstanceOf(IOException.class);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("metrics.json");
        }
    }
}
