-- The service that wrote each outbox row. Every service's relay used to send every row of the one shared
-- table; with a Kafka principal per service (docs/security.md), a relay may write only its own service's
-- topics, so each relay now sends only the rows its service wrote (OutboxRelay, mlops.outbox.source).
ALTER TABLE outbox ADD COLUMN source TEXT;

-- Rows written before: the service that writes that topic. Two topics have two writers: training commands
-- (the orchestrator's submissions, the trainer's requeues) and model events (the orchestrator's promotions,
-- the evaluator's candidates). Their old rows go to the orchestrator, which may write both topics and always
-- runs. A topic the platform never had goes to the orchestrator too, whose relay's health check then shows
-- Kafka's refusal.
UPDATE outbox SET source = CASE topic
    WHEN 'resnetops.datasets.events' THEN 'ingestion'
    WHEN 'resnetops.training.events' THEN 'trainer'
    ELSE 'orchestrator'
END;

ALTER TABLE outbox ALTER COLUMN source SET NOT NULL;

DROP INDEX outbox_unpublished;
CREATE INDEX outbox_unpublished ON outbox (source, id) WHERE published_at IS NULL AND parked_at IS NULL;
