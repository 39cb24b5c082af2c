-- The evaluator's test-set results per job: the full-test-split numbers that MLflow also shows, kept
-- beside the job so the API can answer "how good is job X" without MLflow, and per-class accuracy as
-- data rather than only as a CSV artifact.
CREATE TABLE job_evaluations (
    job_id                      UUID             PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    top1                        DOUBLE PRECISION NOT NULL,
    top5                        DOUBLE PRECISION NOT NULL,
    -- The k behind "top5": min(5, classes). A 2-class model's top5 is its top-2 (always 1.0), and a
    -- reader should not have to look up the class count to know that.
    top_k                       INTEGER          NOT NULL,
    loss                        DOUBLE PRECISION NOT NULL,
    -- [{"class": "T-shirt/top", "support": 1000, "correct": 912, "accuracy": 0.912, "precision": ..., "recall": ...}]
    per_class                   JSONB            NOT NULL,
    confusion_matrix_location   TEXT             NOT NULL,
    report_location             TEXT             NOT NULL,
    test_images                 INTEGER          NOT NULL,
    evaluated_at                TIMESTAMPTZ      NOT NULL DEFAULT now()
);
