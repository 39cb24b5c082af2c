-- Training workers: a job is leased by the worker that runs it, so a redelivered command never runs
-- twice at once, and a job whose worker died (lease expired) is taken over and resumed.
ALTER TABLE jobs
    ADD COLUMN lease_owner          TEXT,
    ADD COLUMN lease_expires_at     TIMESTAMPTZ,
    ADD COLUMN progress             JSONB,          -- the latest TrainingProgress: step, ETA, img/s
    ADD COLUMN mlflow_experiment_id TEXT,
    ADD COLUMN started_at           TIMESTAMPTZ,
    ADD COLUMN finished_at          TIMESTAMPTZ;

-- What a worker still has to tell MLflow, in order per job: written in the same transaction as the
-- job's own state (epoch metrics, completion), sent by a relay, so MLflow being down loses nothing.
-- sending_at marks a row whose send started: after a crash such a row is checked against MLflow
-- before it is sent again, so nothing arrives twice.
CREATE TABLE tracking_outbox (
    id          BIGSERIAL PRIMARY KEY,
    job_id      UUID        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    kind        TEXT        NOT NULL,
    payload     JSONB       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    sending_at  TIMESTAMPTZ,
    sent_at     TIMESTAMPTZ,
    attempts    INTEGER     NOT NULL DEFAULT 0,
    last_error  TEXT
);
CREATE INDEX tracking_outbox_unsent ON tracking_outbox (job_id, id) WHERE sent_at IS NULL;
