package dev.resnetops.onnx.export;

/** ONNX Runtime disagreed with DJL; the candidate model has been deleted. Carries the numbers. */
public final class ParityFailedException extends RuntimeException {

    private final ParityReport report;

    public ParityFailedException(ParityReport report) {
        super("ONNX export rejected, candidate " + report.model() + " deleted: " + report.summary());
        this.report = report;
    }

    public ParityReport report() {
        return report;
    }
}
