-- Parked rows: an outbox or tracking-outbox row that failed permanently (too large for the broker, refused
-- by MLflow with a 4xx) on every one of its N attempts is set aside with its last error instead of being
-- retried for ever, so the rows behind it flow. A parked row is never sent again until an operator clears
-- parked_at after fixing the cause (docs/operations.md, "Parked rows"). Transient failures (broker or
-- MLflow unreachable) never park a row.
ALTER TABLE outbox ADD COLUMN parked_at TIMESTAMPTZ;
ALTER TABLE tracking_outbox ADD COLUMN parked_at TIMESTAMPTZ;

-- The relays read only rows still to send; the health checks count the parked ones.
DROP INDEX outbox_unpublished;
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL AND parked_at IS NULL;
CREATE INDEX outbox_parked ON outbox (id) WHERE parked_at IS NOT NULL;

DROP INDEX tracking_outbox_unsent;
CREATE INDEX tracking_outbox_unsent ON tracking_outbox (job_id, id) WHERE sent_at IS NULL AND parked_at IS NULL;
CREATE INDEX tracking_outbox_parked ON tracking_outbox (id) WHERE parked_at IS NOT NULL;
