-- The fingerprint of every registered model version's ONNX file, as the evaluator computed it on the
-- file it exported: written in the transaction that records the version (model_versions), and what
-- inference checks a file downloaded from MLflow against before serving it (docs/inference.md).
--
-- Why not MLflow's version tag `resnetops.onnx_sha256`: whoever may replace the run's artifact in MLflow
-- may rewrite that tag too, so the tag cannot vouch for the file. This table lives where only the
-- evaluator writes (and, once PostgreSQL has a role per service, inference may only read this table).
--
-- Append-only: a row is never changed or removed (the trigger below refuses it), so a registered
-- version's expected hash cannot be swapped afterwards; a new file means a new version. No foreign key
-- to model_versions: the record must be readable on its own by a role that sees nothing else.
CREATE TABLE model_integrity (
    registered_model    TEXT        NOT NULL,
    version             INTEGER     NOT NULL CHECK (version > 0),
    onnx_sha256         TEXT        NOT NULL CHECK (onnx_sha256 ~ '^[0-9a-f]{64}$'),
    onnx_size_bytes     BIGINT      NOT NULL CHECK (onnx_size_bytes > 0),
    job_id              UUID        NOT NULL,                -- the job whose checkpoint was exported
    recorded_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    recorded_by         TEXT        NOT NULL DEFAULT current_user, -- the database role that wrote it
    PRIMARY KEY (registered_model, version)
);

CREATE FUNCTION model_integrity_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'model_integrity is append-only: % refused (a version''s recorded ONNX hash never changes;'
        ' register a new version for a new file)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER model_integrity_no_update_or_delete BEFORE UPDATE OR DELETE ON model_integrity
    FOR EACH ROW EXECUTE FUNCTION model_integrity_is_append_only();
CREATE TRIGGER model_integrity_no_truncate BEFORE TRUNCATE ON model_integrity
    FOR EACH STATEMENT EXECUTE FUNCTION model_integrity_is_append_only();
