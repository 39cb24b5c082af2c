package dev.resnetops.cli.platform;

import java.io.PrintWriter;

/**
 * The end of the demo's report: where its runs are in MLflow, and the commands that classify an image and
 * stream the test split again, ready to paste.
 *
 * @param compareUrl         MLflow's compare view of the demo's runs, or null while a run has no MLflow id
 * @param experimentUrl      the experiment's table of runs, or null likewise
 * @param mlflowPasswordFile where the MLflow admin's password is (the UI asks for a login)
 * @param sampleImage        a test image the demo saved, as a path to type, or null when it could not
 * @param sampleLabel        that image's true class, or null
 * @param streamSource       the dataset the demo streamed
 * @param connectionFlags    flags the demo was given for the inference service / Kafka, repeated in the
 *                           commands ("" when it used the defaults)
 */
record DemoNextSteps(String compareUrl, String experimentUrl, String mlflowPasswordFile, String sampleImage,
                     String sampleLabel, String streamSource, String classifyFlags, String streamFlags) {

    void print(PrintWriter out) {
        out.println("== where to look next");
        out.println("MLflow (log in as admin, password in " + mlflowPasswordFile + "):");
        out.println("  both runs side by side: " + (compareUrl == null ? "(the runs have no MLflow run id yet)" : compareUrl));
        if (experimentUrl != null) {
            out.println("  the experiment's runs:  " + experimentUrl);
        }
        out.println("  each run: its parameters, per-epoch curves (train_loss, val_top1, ...), the evaluator's");
        out.println("  test_top1 / test_top5 (the top-1 / top-5 above), its dataset inputs (train and test split");
        out.println("  with the content digest), the ONNX model and the evaluation report");
        if (sampleImage != null) {
            out.println("classify one test image" + (sampleLabel == null ? "" : " (true class: " + sampleLabel + ")")
                    + " with the champion:");
            out.println("  ./mlops classify " + sampleImage + " --top 3" + classifyFlags);
        } else {
            out.println("classify a JPEG or PNG with the champion:");
            out.println("  ./mlops classify IMAGE --top 3" + classifyFlags);
        }
        out.println("stream 1000 test images through Kafka again:");
        out.println("  ./mlops stream " + streamSource + " --limit 1000" + streamFlags);
    }
}
