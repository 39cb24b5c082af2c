-- What each service's database role may do: exactly the table and sequence privileges its code uses, and
-- nothing else (docs/security.md, "PostgreSQL"). The schema owner (resnetops) runs the migrations and owns
-- every table; the services log in with their own roles, which own nothing, cannot create anything and are
-- not superusers, so a compromised service cannot drop a table, rewrite another service's rows or read
-- tables it has no business reading.
--
-- Repeatable: Flyway re-applies this file, after the versioned migrations, whenever its text changes. A new
-- table therefore needs its grants here in the same change (the changed file is re-applied then), and a
-- privilege removed from here is revoked on the next start: every service role is first stripped of all
-- table and sequence privileges, then given the list below.
--
-- A role that does not exist is skipped with a WARNING instead of failing the migration: a cluster whose
-- operator runs their own roles (an external server with other names, the Helm chart's CloudNativePG, whose
-- managed roles may appear after the first migration) must still get its schema. Whoever creates a missing
-- role later re-applies the grants as docs/security.md says (the file's history row is deleted, and the
-- orchestrator's next start applies it again).
--
-- Why a privilege is here (the code that needs it, by module):
--   store        DatasetStore, JobStore, JobRunRecords, ModelStore, WeightFiles, InitReferences (one owner
--                module per table)
--   messaging    OutboxWriter (INSERT), OutboxRelay (SELECT ... FOR UPDATE SKIP LOCKED, UPDATE), Inbox
--   orchestrator its repository package (the API's reads, workflows, idempotency keys)
--   trainer      TrackingOutbox, TrackingRelay (the tracking outbox to MLflow)
--   evaluator    EvaluationStore (job_evaluations, the job and dataset it evaluates)
-- Every service but inference validates the schema at start (quarkus.flyway.validate-at-start), which
-- reads Flyway's history table. Inference reads no table yet: its role may connect, nothing more.
--
-- INSERT ... ON CONFLICT (columns) needs SELECT on those columns too (the check for a conflicting row reads
-- them), even with DO NOTHING: JobRunRecords.recordEpoch is why the trainer may read job_epoch_metrics.
--
-- Row locks (SELECT ... FOR UPDATE / FOR SHARE) need the UPDATE privilege on at least one column of the
-- locked table (PostgreSQL's rule). Where a service locks rows it never changes, it gets UPDATE on a
-- bookkeeping timestamp only (jobs.updated_at, model_versions.created_at): the lock works, no state can change.

-- Nobody but the owner creates objects in the schema (PostgreSQL before 15 let every role do it).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO $grants$
DECLARE
    service_roles CONSTANT text[] := ARRAY['resnetops_orchestrator', 'resnetops_ingestion', 'resnetops_trainer',
                                           'resnetops_evaluator', 'resnetops_inference'];
    service_role text;
    g record;
BEGIN
    FOREACH service_role IN ARRAY service_roles LOOP
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = service_role) THEN
            EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', service_role);
            EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', service_role);
        ELSE
            RAISE WARNING 'role % does not exist: its grants are skipped (docs/security.md, PostgreSQL)', service_role;
        END IF;
    END LOOP;

    FOR g IN SELECT * FROM (VALUES
        -- orchestrator: the API reads everything it shows; it registers datasets, queues and cancels jobs,
        -- moves aliases on promotion, runs workflows, and keeps idempotency keys.
        ('resnetops_orchestrator', 'SELECT, INSERT',         'TABLE datasets'),
        ('resnetops_orchestrator', 'SELECT',                 'TABLE dataset_versions'),
        ('resnetops_orchestrator', 'SELECT, INSERT, UPDATE', 'TABLE jobs'),
        ('resnetops_orchestrator', 'SELECT, INSERT',         'TABLE job_state_history'),
        ('resnetops_orchestrator', 'USAGE',                  'SEQUENCE job_state_history_id_seq'),
        ('resnetops_orchestrator', 'SELECT',                 'TABLE job_epoch_metrics'),
        ('resnetops_orchestrator', 'SELECT',                 'TABLE job_evaluations'),
        ('resnetops_orchestrator', 'SELECT, UPDATE (created_at)', 'TABLE model_versions'),
        ('resnetops_orchestrator', 'SELECT, INSERT, UPDATE', 'TABLE model_aliases'),
        ('resnetops_orchestrator', 'SELECT, INSERT, UPDATE', 'TABLE workflow_runs'),
        ('resnetops_orchestrator', 'SELECT, INSERT, UPDATE', 'TABLE workflow_steps'),
        ('resnetops_orchestrator', 'SELECT, INSERT',         'TABLE idempotency_keys'),
        ('resnetops_orchestrator', 'SELECT, INSERT, UPDATE', 'TABLE outbox'),
        ('resnetops_orchestrator', 'USAGE',                  'SEQUENCE outbox_id_seq'),
        ('resnetops_orchestrator', 'SELECT',                 'TABLE flyway_schema_history'),
        -- uploaded weights files (PUT /weights); what a job's init names is checked at submission.
        ('resnetops_orchestrator', 'SELECT, INSERT',         'TABLE weight_files'),
        -- ingestion: dataset versions and the outcome of each ingestion; commands deduplicated by the inbox.
        ('resnetops_ingestion',    'SELECT, INSERT, UPDATE', 'TABLE datasets'),
        ('resnetops_ingestion',    'SELECT, INSERT',         'TABLE dataset_versions'),
        ('resnetops_ingestion',    'SELECT, INSERT',         'TABLE inbox'),
        ('resnetops_ingestion',    'SELECT, INSERT, UPDATE', 'TABLE outbox'),
        ('resnetops_ingestion',    'USAGE',                  'SEQUENCE outbox_id_seq'),
        ('resnetops_ingestion',    'SELECT',                 'TABLE flyway_schema_history'),
        -- trainer: claims, leases, progress and the end of jobs; epoch metrics; the shards' location and the
        -- dataset's name, source and hash (its MLflow dataset input); the tracking outbox it relays to MLflow.
        ('resnetops_trainer',      'SELECT, UPDATE',         'TABLE jobs'),
        ('resnetops_trainer',      'INSERT',                 'TABLE job_state_history'),
        ('resnetops_trainer',      'USAGE',                  'SEQUENCE job_state_history_id_seq'),
        ('resnetops_trainer',      'SELECT, INSERT',         'TABLE job_epoch_metrics'),
        ('resnetops_trainer',      'SELECT',                 'TABLE datasets'),
        ('resnetops_trainer',      'SELECT',                 'TABLE dataset_versions'),
        ('resnetops_trainer',      'SELECT, INSERT, UPDATE', 'TABLE tracking_outbox'),
        ('resnetops_trainer',      'USAGE',                  'SEQUENCE tracking_outbox_id_seq'),
        ('resnetops_trainer',      'SELECT, INSERT, UPDATE', 'TABLE outbox'),
        ('resnetops_trainer',      'USAGE',                  'SEQUENCE outbox_id_seq'),
        ('resnetops_trainer',      'SELECT',                 'TABLE flyway_schema_history'),
        -- a job's init: an uploaded file, a registered version (and its alias) and the job that trained it.
        ('resnetops_trainer',      'SELECT',                 'TABLE weight_files'),
        ('resnetops_trainer',      'SELECT',                 'TABLE model_versions'),
        ('resnetops_trainer',      'SELECT',                 'TABLE model_aliases'),
        -- evaluator: reads the job and dataset it evaluates (locking the job), records the evaluation and the
        -- model version, moves the candidate alias; events deduplicated by the inbox.
        ('resnetops_evaluator',    'SELECT, UPDATE (updated_at)', 'TABLE jobs'),
        ('resnetops_evaluator',    'SELECT',                 'TABLE datasets'),
        ('resnetops_evaluator',    'SELECT',                 'TABLE dataset_versions'),
        ('resnetops_evaluator',    'SELECT, INSERT, UPDATE', 'TABLE job_evaluations'),
        ('resnetops_evaluator',    'SELECT, INSERT, UPDATE (created_at)', 'TABLE model_versions'),
        ('resnetops_evaluator',    'SELECT, INSERT, UPDATE', 'TABLE model_aliases'),
        ('resnetops_evaluator',    'SELECT, INSERT',         'TABLE inbox'),
        ('resnetops_evaluator',    'SELECT, INSERT, UPDATE', 'TABLE outbox'),
        ('resnetops_evaluator',    'USAGE',                  'SEQUENCE outbox_id_seq'),
        ('resnetops_evaluator',    'SELECT',                 'TABLE flyway_schema_history'),
        -- the ONNX file's SHA-256 of each version it registers, in the same transaction (append-only).
        ('resnetops_evaluator',    'SELECT, INSERT',         'TABLE model_integrity'),
        -- inference: reads the evaluator's record of a version's ONNX file before it serves the file.
        ('resnetops_inference',    'SELECT',                 'TABLE model_integrity')
    ) AS grants (grantee, privileges, on_object)
    LOOP
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g.grantee) THEN
            EXECUTE format('GRANT %s ON %s TO %I', g.privileges, g.on_object, g.grantee);
        END IF;
    END LOOP;
END
$grants$;
