-- Weights files uploaded through the API (PUT /weights/{name}) so a cluster user can start training from
-- torchvision/timm weights without a path shared with the trainers. The file itself lives in the platform's
-- weights folder under its SHA-256 (location); a training job names it as init "weights:<name>". Rows are
-- never changed: a name is bound to one file for good, so a job's provenance cannot be rewritten afterwards.
CREATE TABLE weight_files (
    name        TEXT PRIMARY KEY,
    sha256      TEXT        NOT NULL,
    format      TEXT        NOT NULL,            -- safetensors, pytorch-zip, pytorch-legacy
    size_bytes  BIGINT      NOT NULL,
    tensors     INTEGER     NOT NULL,
    parameters  BIGINT      NOT NULL,            -- numbers in all tensors together
    location    TEXT        NOT NULL,
    notes       JSONB       NOT NULL,            -- what the reader noticed (dtype conversions, a checkpoint's entry)
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
