-- What the workflow executor needs beyond V1's workflow tables: the plan it runs (so a run is read
-- back without planning again), the order and origin of steps for display, the MLflow bookkeeping of
-- the parent run, and the indexes of the engine's loop.

ALTER TABLE workflow_runs
    ADD COLUMN plan                     JSONB,          -- the WorkflowPlan as planned at submission
    ADD COLUMN max_parallel             INTEGER,        -- limits.maxParallel, or null for the server default
    ADD COLUMN finished_at              TIMESTAMPTZ,
    -- The parent run's experiment; the result table (CSV, chart) is logged to it once, after the run
    -- ends: mlflow_logged_at says it was, so an MLflow outage only delays it.
    ADD COLUMN mlflow_experiment_id     TEXT,
    ADD COLUMN mlflow_logged_at         TIMESTAMPTZ;
CREATE INDEX workflow_runs_state ON workflow_runs (state, created_at);
CREATE INDEX workflow_runs_created ON workflow_runs (created_at DESC);

ALTER TABLE workflow_steps
    ADD COLUMN position        INTEGER NOT NULL DEFAULT 0,  -- index in the plan: dependency order
    ADD COLUMN origin          TEXT,                        -- the definition step it came from
    ADD COLUMN started_at      TIMESTAMPTZ,
    ADD COLUMN finished_at     TIMESTAMPTZ,
    -- When the train job's MLflow run was tagged as a child of the workflow's parent run. The trainer
    -- creates the job's run on its own schedule (and MLflow may be down), so the engine links it later.
    ADD COLUMN mlflow_linked_at TIMESTAMPTZ;
CREATE INDEX workflow_steps_run ON workflow_steps (run_id, position);
CREATE INDEX jobs_workflow_step ON jobs (workflow_step_id) WHERE workflow_step_id IS NOT NULL;
