package dev.resnetops.onnx.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Locale;

/**
 * The parity gate's numbers, saved as JSON beside the model.
 *
 * @param modelSha256 the accepted model file's hash, so the report cannot be mistaken for another export's
 */
public record ParityReport(
        String model,
        String modelSha256,
        String sample,
        int images,
        float maxAbsLogitDiff,
        float maxAbsLogit,
        float tolerance,
        String toleranceRule,
        int top1Mismatches,
        boolean passed,
        String onnxRuntimeProvider,
        double djlSeconds,
        double onnxRuntimeSeconds) {

    public static final String TOLERANCE_RULE = LogitComparison.RELATIVE_TOLERANCE + " * max|DJL logit| + "
            + LogitComparison.ABSOLUTE_TOLERANCE + "; Top-1 identical on every image";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ParityReport always serialises", e);
        }
    }

    public static ParityReport fromJson(String json) {
        try {
            return JSON.readValue(json, ParityReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a parity report: " + e.getOriginalMessage(), e);
        }
    }

    /** One paragraph for the command line. */
    public String summary() {
        return String.format(Locale.ROOT,
                "parity %s on %d images (%s): max |logit diff| %.3g, tolerance %.3g (max |logit| %.3g), "
                        + "Top-1 mismatches %d; DJL %.1fs, ONNX Runtime (%s) %.1fs",
                passed ? "PASSED" : "FAILED", images, sample, maxAbsLogitDiff, tolerance, maxAbsLogit, top1Mismatches,
                djlSeconds, onnxRuntimeProvider, onnxRuntimeSeconds);
    }
}
