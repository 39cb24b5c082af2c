-- The platform's schema: datasets, jobs, models, workflows, and the messaging tables that make
-- "change the database and announce it on Kafka" one atomic step (outbox) and make redelivered
-- messages harmless (inbox).

-- Datasets ----------------------------------------------------------------------------------------

-- An ingested, immutable version of a dataset. Its identity is the content hash of the shards, so two
-- registrations of the same content share one version instead of duplicating it.
CREATE TABLE dataset_versions (
    id              UUID PRIMARY KEY,
    content_hash    TEXT        NOT NULL UNIQUE,
    source_format   TEXT        NOT NULL,
    classes         JSONB       NOT NULL,
    counts          JSONB       NOT NULL,                -- {"train": 60000, "test": 10000}
    class_counts    JSONB       NOT NULL,                -- {"train": {"T-shirt/top": 6000, ...}, ...}
    channels        INTEGER     NOT NULL,
    height          INTEGER     NOT NULL,
    width           INTEGER     NOT NULL,
    mean            JSONB       NOT NULL,
    std             JSONB       NOT NULL,
    shard_location  TEXT        NOT NULL,
    quarantine      JSONB       NOT NULL DEFAULT '[]',   -- [{"field": file, "message": reason}]
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A user's registration of a dataset source; becomes READY pointing at a version, or FAILED.
CREATE TABLE datasets (
    id                  UUID PRIMARY KEY,
    name                TEXT        NOT NULL,
    source              TEXT        NOT NULL,
    status              TEXT        NOT NULL CHECK (status IN ('INGESTING', 'READY', 'FAILED')),
    error               TEXT,
    version_id          UUID REFERENCES dataset_versions (id),
    problems            JSONB       NOT NULL DEFAULT '[]',
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (status <> 'READY' OR version_id IS NOT NULL)
);
CREATE INDEX datasets_name ON datasets (name, created_at DESC);

-- Jobs --------------------------------------------------------------------------------------------

CREATE TABLE jobs (
    id                  UUID PRIMARY KEY,
    dataset_id          UUID        NOT NULL REFERENCES datasets (id),
    dataset_version_id  UUID        NOT NULL REFERENCES dataset_versions (id),
    model               TEXT        NOT NULL,
    config              JSONB       NOT NULL,            -- the full TrainingConfig, defaults filled in
    experiment          TEXT        NOT NULL,
    state               TEXT        NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    state_reason        TEXT,
    cancel_requested_at TIMESTAMPTZ,
    worker              TEXT,
    device              TEXT,
    attempt             INTEGER     NOT NULL DEFAULT 0,
    mlflow_run_id       TEXT,
    checkpoint_location TEXT,
    workflow_step_id    UUID,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX jobs_state ON jobs (state, created_at DESC);
CREATE INDEX jobs_created ON jobs (created_at DESC);

-- Every state a job went through, in order: the audit trail the API shows as "history".
CREATE TABLE job_state_history (
    id      BIGSERIAL PRIMARY KEY,
    job_id  UUID        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    state   TEXT        NOT NULL,
    reason  TEXT,
    at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX job_state_history_job ON job_state_history (job_id, id);

-- One row per finished epoch; the primary key makes a replayed epoch report an update, never a
-- duplicate (a resumed job re-reports nothing, but a redelivered event must not add a row).
CREATE TABLE job_epoch_metrics (
    job_id              UUID             NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    epoch               INTEGER          NOT NULL,
    train_loss          DOUBLE PRECISION NOT NULL,
    learning_rate       DOUBLE PRECISION NOT NULL,
    val_top1            DOUBLE PRECISION,
    val_top5            DOUBLE PRECISION,
    val_loss            DOUBLE PRECISION,
    images_per_second   DOUBLE PRECISION NOT NULL,
    epoch_seconds       DOUBLE PRECISION NOT NULL,
    recorded_at         TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, epoch)
);

-- Models ------------------------------------------------------------------------------------------

CREATE TABLE model_versions (
    id                  UUID PRIMARY KEY,
    registered_model    TEXT        NOT NULL,
    version             INTEGER     NOT NULL,
    job_id              UUID        NOT NULL REFERENCES jobs (id),
    dataset_version_id  UUID        NOT NULL REFERENCES dataset_versions (id),
    onnx_location       TEXT        NOT NULL,
    onnx_sha256         TEXT        NOT NULL,
    checkpoint_sha256   TEXT,
    parity_passed       BOOLEAN     NOT NULL,
    parity_report       JSONB       NOT NULL,
    top1                DOUBLE PRECISION,
    top5                DOUBLE PRECISION,
    mlflow_version      TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (registered_model, version),
    UNIQUE (job_id)
);

-- Named pointers (candidate, champion) to one version of a registered model.
CREATE TABLE model_aliases (
    registered_model    TEXT        NOT NULL,
    alias               TEXT        NOT NULL,
    model_version_id    UUID        NOT NULL REFERENCES model_versions (id),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (registered_model, alias)
);

-- Workflows ---------------------------------------------------------------------------------------

CREATE TABLE workflow_runs (
    id                  UUID PRIMARY KEY,
    workflow            TEXT        NOT NULL,            -- definition name, e.g. paper-ablation
    definition          TEXT        NOT NULL,            -- the YAML as submitted: a run never changes under it
    parameters          JSONB       NOT NULL,
    state               TEXT        NOT NULL CHECK (state IN ('RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    state_reason        TEXT,
    result              JSONB,
    mlflow_parent_run_id TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE workflow_steps (
    id                  UUID PRIMARY KEY,
    run_id              UUID        NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
    step_key            TEXT        NOT NULL,            -- unique within the run, e.g. train-baseline
    kind                TEXT        NOT NULL,
    depends_on          JSONB       NOT NULL DEFAULT '[]',
    inputs              JSONB       NOT NULL DEFAULT '{}',
    state               TEXT        NOT NULL CHECK (state IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED')),
    attempt             INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at     TIMESTAMPTZ,
    job_id              UUID REFERENCES jobs (id),
    output              JSONB,
    error               TEXT,
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (run_id, step_key)
);
ALTER TABLE jobs ADD CONSTRAINT jobs_workflow_step FOREIGN KEY (workflow_step_id) REFERENCES workflow_steps (id);

-- Messaging ---------------------------------------------------------------------------------------

-- A client's Idempotency-Key: a retried POST with the same key and body returns the first result; the
-- same key with a different body is refused (request_hash differs).
CREATE TABLE idempotency_keys (
    scope           TEXT        NOT NULL,                -- e.g. "jobs", "datasets"
    idempotency_key TEXT        NOT NULL,
    request_hash    TEXT        NOT NULL,
    resource_id     UUID        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, idempotency_key)
);

-- Transactional outbox: written in the same transaction as the state change it announces; a relay
-- sends unpublished rows to Kafka in id order and marks them. A crash between commit and send only
-- delays the message.
CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    message_id      UUID        NOT NULL UNIQUE,
    topic           TEXT        NOT NULL,
    message_key     TEXT        NOT NULL,
    payload         TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at    TIMESTAMPTZ,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    last_error      TEXT
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- Idempotent inbox: the message ids a consumer has fully processed, inserted in the same transaction
-- as the processing's effects. A redelivered message finds its id and is skipped.
CREATE TABLE inbox (
    consumer        TEXT        NOT NULL,
    message_id      UUID        NOT NULL,
    processed_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
